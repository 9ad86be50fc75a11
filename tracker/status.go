package tracker

import (
	"slices"

	"github.com/debrief-oss/debrief"
)

// StatusMap translates between a tracker's statuses and action item
// statuses. A zero StatusMap means the tracker's default
// (DefaultJiraStatuses, DefaultGitHubStatuses).
type StatusMap struct {
	// Names maps a status name to a state. Names are compared without
	// case or extra spaces, and "’" counts as "'".
	Names map[string]debrief.ActionStatus
	// Categories maps a Jira status category key ("new",
	// "indeterminate", "done") to a state, for statuses Names lacks.
	Categories map[string]debrief.ActionStatus
	// Prefer lists, for each state, the status names Move aims for first,
	// best first, when several of a ticket's transitions would do.
	Prefer map[debrief.ActionStatus][]string
}

// The states a tracker can express. Verified is debrief's own: a tracker
// sees it as done.
var trackerStates = []debrief.ActionStatus{
	debrief.ActionOpen, debrief.ActionInProgress, debrief.ActionBlocked, debrief.ActionDone,
}

// DefaultJiraStatuses maps Jira's status categories (To Do is "new", In
// Progress "indeterminate", Done "done"), and by name the statuses whose
// category says too little: a "Blocked" or "On Hold" status is usually
// in the In Progress category, and "Won't Do", "Duplicate" or "Cancelled"
// are in Done although the work was not done. Those mean blocked, so that
// the weekly review shows an action item that was dropped rather than
// celebrating it.
func DefaultJiraStatuses() StatusMap {
	return StatusMap{
		Names: map[string]debrief.ActionStatus{
			"to do": debrief.ActionOpen, "open": debrief.ActionOpen,
			"backlog": debrief.ActionOpen, "reopened": debrief.ActionOpen,
			"selected for development": debrief.ActionOpen,
			"in progress":              debrief.ActionInProgress,
			"in review":                debrief.ActionInProgress,
			"blocked":                  debrief.ActionBlocked, "on hold": debrief.ActionBlocked,
			"waiting": debrief.ActionBlocked, "impeded": debrief.ActionBlocked,
			"won't do": debrief.ActionBlocked, "won't fix": debrief.ActionBlocked,
			"cancelled": debrief.ActionBlocked, "canceled": debrief.ActionBlocked,
			"declined": debrief.ActionBlocked, "rejected": debrief.ActionBlocked,
			"duplicate": debrief.ActionBlocked,
			"done":      debrief.ActionDone, "closed": debrief.ActionDone,
			"resolved": debrief.ActionDone, "fixed": debrief.ActionDone,
		},
		Categories: map[string]debrief.ActionStatus{
			"new":           debrief.ActionOpen,
			"indeterminate": debrief.ActionInProgress,
			"done":          debrief.ActionDone,
		},
		Prefer: map[debrief.ActionStatus][]string{
			debrief.ActionOpen:       {"To Do", "Open", "Backlog", "Reopened"},
			debrief.ActionInProgress: {"In Progress"},
			debrief.ActionBlocked:    {"Blocked", "On Hold"},
			debrief.ActionDone:       {"Done", "Closed", "Resolved"},
		},
	}
}

// GitHub issues are open or closed; a closed one says why. Status names
// this package gives them.
const (
	githubOpen         = "open"
	githubClosed       = "closed"
	githubCompleted    = "closed as completed"
	githubNotPlanned   = "closed as not planned"
	githubDuplicate    = "closed as duplicate"
	githubClosedPrefix = "closed as "
)

// DefaultGitHubStatuses maps an open issue to open and an issue closed as
// completed (or with no reason, as older issues are) to done. An issue
// closed as not planned or as a duplicate means blocked, for the same
// reason as Jira's "Won't Do". GitHub has no in progress or blocked, so
// an open issue stands for those too; Echo keeps a poll that reads
// "open" from undoing them (see docs/trackers.md).
func DefaultGitHubStatuses() StatusMap {
	return StatusMap{
		Names: map[string]debrief.ActionStatus{
			githubOpen:       debrief.ActionOpen,
			githubClosed:     debrief.ActionDone,
			githubCompleted:  debrief.ActionDone,
			githubNotPlanned: debrief.ActionBlocked,
			githubDuplicate:  debrief.ActionBlocked,
		},
	}
}

func (m StatusMap) isZero() bool {
	return m.Names == nil && m.Categories == nil && m.Prefer == nil
}

// State tells what a status means for an action item: by its name first,
// then by its Jira category (give "" where there is none).
func (m StatusMap) State(status, category string) (debrief.ActionStatus, bool) {
	key := statusKey(status)
	if st, ok := m.Names[key]; ok {
		return st, true
	}
	for name, st := range m.Names {
		if statusKey(name) == key {
			return st, true
		}
	}
	if st, ok := m.Categories[category]; ok && category != "" {
		return st, true
	}
	return "", false
}

// preference ranks a status name among the ones preferred for st: lower
// is better, len(Prefer[st]) when it is not listed.
func (m StatusMap) preference(st debrief.ActionStatus, status string) int {
	names := m.Prefer[st]
	if i := slices.IndexFunc(names, func(n string) bool {
		return statusKey(n) == statusKey(status)
	}); i >= 0 {
		return i
	}
	return len(names)
}

// target turns the state asked of Move into one a tracker can express.
func target(system System, to debrief.ActionStatus) (debrief.ActionStatus, error) {
	if to == debrief.ActionVerified {
		return debrief.ActionDone, nil
	}
	if !slices.Contains(trackerStates, to) {
		return "", debrief.FieldErrorf("status", "%q is not an action item status %s can "+
			"show: use open, in_progress, blocked or done", to, system.Title())
	}
	return to, nil
}

// mergeStatuses lays a team's own names over a default map: each state's
// names map to it and go first in its preferences.
func mergeStatuses(def StatusMap, own map[debrief.ActionStatus][]string) StatusMap {
	if len(own) == 0 {
		return def
	}
	m := StatusMap{
		Names:      make(map[string]debrief.ActionStatus, len(def.Names)),
		Categories: def.Categories,
		Prefer:     make(map[debrief.ActionStatus][]string, len(trackerStates)),
	}
	for name, st := range def.Names {
		m.Names[statusKey(name)] = st
	}
	for st, names := range own {
		for _, n := range names {
			m.Names[statusKey(n)] = st
		}
	}
	for _, st := range trackerStates {
		prefer := slices.Clone(own[st])
		for _, n := range def.Prefer[st] {
			if m.Names[statusKey(n)] == st && !slices.ContainsFunc(prefer, func(p string) bool {
				return statusKey(p) == statusKey(n)
			}) {
				prefer = append(prefer, n)
			}
		}
		m.Prefer[st] = prefer
	}
	return m
}
