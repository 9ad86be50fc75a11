package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// This file holds the section forms that are one list each: contributing
// factors, impact and lessons learned.

var factorsSpec = &sectionSpec{
	key: "contributing_factors",
	lists: []listSpec{{
		name:    "contributing_factors",
		fields:  []string{"category", "description", "how_contributed"},
		content: []string{"description", "how_contributed"},
		blanks:  3,
	}},
	fill: func(f *editForm, p *debrief.Postmortem) {
		for _, c := range p.ContributingFactors {
			f.addRow("contributing_factors", map[string]string{
				"category": string(c.Category), "description": c.Description,
				"how_contributed": c.HowContributed,
			})
		}
	},
	build: func(f *editForm, _ *debrief.Postmortem) *debrief.Postmortem {
		p := &debrief.Postmortem{}
		rows := f.entries("contributing_factors")
		for _, r := range rows {
			desc := trimText(r.get("description"))
			if desc == "" {
				r.fail("description", "Factor %d says how it contributed but not what it "+
					"was: describe the condition.", r.N())
			}
			p.ContributingFactors = append(p.ContributingFactors, debrief.ContributingFactor{
				Category:       debrief.FactorCategory(r.get("category")),
				Description:    desc,
				HowContributed: trimText(r.get("how_contributed")),
			})
		}
		f.saved("contributing_factors", rows)
		return p
	},
}

var impactsSpec = &sectionSpec{
	key: "impacts",
	lists: []listSpec{{
		name: "impacts",
		fields: []string{"kind", "description", "minutes_down", "users_affected",
			"failed_transactions", "money", "currency"},
		content: []string{"description", "minutes_down", "users_affected",
			"failed_transactions", "money"},
		blanks: 2,
	}},
	fill: func(f *editForm, p *debrief.Postmortem) {
		for _, im := range p.Impacts {
			v := map[string]string{
				"kind": string(im.Kind), "description": im.Description,
				"money": im.Money, "currency": im.Currency,
			}
			if im.MinutesDown != nil {
				v["minutes_down"] = strconv.FormatFloat(*im.MinutesDown, 'f', -1, 64)
			}
			if im.UsersAffected != nil {
				v["users_affected"] = strconv.FormatInt(*im.UsersAffected, 10)
			}
			if im.FailedTransactions != nil {
				v["failed_transactions"] = strconv.FormatInt(*im.FailedTransactions, 10)
			}
			f.addRow("impacts", v)
		}
	},
	build: buildImpacts,
}

func buildImpacts(f *editForm, _ *debrief.Postmortem) *debrief.Postmortem {
	p := &debrief.Postmortem{}
	rows := f.entries("impacts")
	for _, r := range rows {
		im := debrief.Impact{
			Kind:        debrief.ImpactKind(r.get("kind")),
			Description: trimText(r.get("description")),
			Currency:    strings.ToUpper(r.trimmed("currency")),
		}
		im.MinutesDown = impactMinutes(r)
		im.UsersAffected = impactCount(r, "users_affected", "users affected")
		im.FailedTransactions = impactCount(r, "failed_transactions", "failed transactions")
		im.Money = impactMoney(r)
		p.Impacts = append(p.Impacts, im)
	}
	f.saved("impacts", rows)
	return p
}

// impactMinutes reads the minutes down; nil when the field is empty, so an
// unknown quantity is not stored as zero.
func impactMinutes(r *formRow) *float64 {
	s := strings.ReplaceAll(r.trimmed("minutes_down"), " ", "")
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		r.fail("minutes_down", "Impact %d: minutes down %q is not a number of minutes "+
			"such as 64 or 12.5.", r.N(), r.get("minutes_down"))
		return nil
	}
	return &v
}

// thousands are the separators people write inside large counts.
var thousands = strings.NewReplacer(",", "", "_", "", " ", "", "\u00a0", "", "'", "")

func impactCount(r *formRow, field, what string) *int64 {
	s := thousands.Replace(r.trimmed(field))
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		r.fail(field, "Impact %d: %s %q is not a whole number such as 1250 or 1,250.",
			r.N(), what, r.get(field))
		return nil
	}
	return &v
}

var moneyPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// impactMoney reads an amount as the decimal string the model keeps, so no
// float rounding creeps in; thousands separators are dropped.
func impactMoney(r *formRow) string {
	s := thousands.Replace(r.trimmed("money"))
	if s == "" {
		return ""
	}
	if !moneyPattern.MatchString(s) {
		r.fail("money", "Impact %d: the amount %q is not a number; write it like "+
			"12500.00, with the currency in its own field.", r.N(), r.get("money"))
		return ""
	}
	return s
}

var lessonsSpec = &sectionSpec{
	key: "lessons",
	lists: []listSpec{{
		name: "lessons", fields: []string{"kind", "text"}, content: []string{"text"}, blanks: 3,
	}},
	fill: func(f *editForm, p *debrief.Postmortem) {
		for _, l := range p.Lessons {
			f.addRow("lessons", map[string]string{"kind": string(l.Kind), "text": l.Text})
		}
	},
	build: func(f *editForm, _ *debrief.Postmortem) *debrief.Postmortem {
		p := &debrief.Postmortem{}
		rows := f.entries("lessons")
		for _, r := range rows {
			kind := debrief.LessonKind(r.get("kind"))
			if kind == "" {
				kind = debrief.LessonGeneral
			}
			p.Lessons = append(p.Lessons, debrief.Lesson{Kind: kind, Text: trimText(r.get("text"))})
		}
		f.saved("lessons", rows)
		return p
	},
}
