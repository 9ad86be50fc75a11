package debrief

import (
	"context"
	"time"
)

// Revision is one saved version of a report: who saved it and when. Every
// save through SavePostmortem, SavePostmortems or RestorePostmortem records
// one, in the same transaction as the change, with a snapshot of the whole
// report as it stood after the save.
type Revision struct {
	PostmortemID string    `json:"postmortem_id"`
	Version      int       `json:"version"`
	Author       string    `json:"author,omitempty"`
	SavedAt      time.Time `json:"saved_at"`
	// Status is the report's lifecycle state in this version, so a list of
	// revisions shows when it moved.
	Status Status `json:"status"`
}

// RevisionStore keeps the history of reports.
type RevisionStore interface {
	// Revisions lists the report's revisions, newest first. A report that
	// does not exist is KindNotFound.
	Revisions(ctx context.Context, postmortemID string) ([]Revision, error)
	// PostmortemRevision returns the report as it was saved at the version,
	// or a KindNotFound error.
	PostmortemRevision(ctx context.Context, postmortemID string, version int) (*Postmortem, error)
}
