package lint

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed rules.yaml
var rulesYAML []byte

// ruleFile is the shape of rules.yaml; see the comments in that file.
type ruleFile struct {
	Labels                  []string `yaml:"labels"`
	FaultNouns              []string `yaml:"fault_nouns"`
	Judgements              []string `yaml:"judgements"`
	Punitive                []string `yaml:"punitive"`
	Failures                []string `yaml:"failures"`
	NegativeSubjectFailures []string `yaml:"negative_subject_failures"`
	NegativeSubjects        []string `yaml:"negative_subjects"`
	Negations               []string `yaml:"negations"`
	NeutralAfterNegation    []string `yaml:"neutral_after_negation"`
	WithoutObjects          []string `yaml:"without_objects"`
	Hindsight               []string `yaml:"hindsight"`
	Trivialising            []string `yaml:"trivialising"`
	Modals                  []string `yaml:"modals"`
	CounterfactualIf        []string `yaml:"counterfactual_if"`
	CounterfactualAdverbs   []string `yaml:"counterfactual_adverbs"`
	Participles             []string `yaml:"participles"`
	People                  []string `yaml:"people"`
	Systems                 []string `yaml:"systems"`
	ClauseBreaks            []string `yaml:"clause_breaks"`
	Products                []string `yaml:"products"`
	Places                  []string `yaml:"places"`
	ExplainedBy             []string `yaml:"explained_by"`
	OrgSuffixes             []string `yaml:"org_suffixes"`
	PlacePrepositions       []string `yaml:"place_prepositions"`
	TimeWords               []string `yaml:"time_words"`
	Groups                  []string `yaml:"groups"`
	ConductWords            []string `yaml:"conduct_words"`
	Terms                   []string `yaml:"terms"`
	Defiance                []string `yaml:"defiance"`
	Warned                  []string `yaml:"warned"`
	ReportingVerbs          []string `yaml:"reporting_verbs"`
	InvolveVerbs            []string `yaml:"involve_verbs"`
	EasyWords               []string `yaml:"easy_words"`
	Minimising              []string `yaml:"minimising"`
	Needing                 []string `yaml:"needing"`
	Starters                []string `yaml:"starters"`
	WordNames               []string `yaml:"word_names"`
	Calendar                []string `yaml:"calendar"`
	Titles                  []string `yaml:"titles"`
	NameSignals             []string `yaml:"name_signals"`
	WeakSignals             []string `yaml:"weak_signals"`
	WordSuffixes            []string `yaml:"word_suffixes"`
	RoleMailboxes           []string `yaml:"role_mailboxes"`
	BroadcastHandles        []string `yaml:"broadcast_handles"`
	RoleHandleParts         []string `yaml:"role_handle_parts"`
}

// phrase is a lower-cased word sequence matched token by token.
type phrase []string

// phraseList holds phrases by their first word, longest first.
type phraseList map[string][]phrase

// rules is rules.yaml compiled into sets and phrase lists.
type rules struct {
	labels, judgements, punitive, failures, negFailures, trivialising phraseList
	negSubjects, clauseBreaks, terms                                  phraseList

	faultNouns, negations, neutralAfterNeg, withoutObjects       set
	hindsight, modals, cfIf, cfAdverbs, participles              set
	people, systems                                              set
	products, starters, wordNames, calendar, titles, orgSuffixes set // exact case
	nameSignals, weakSignals, explainedBy                        set
	placePrepositions, timeWords, groups                         set
	conductWords, defiance, warned, reportingVerbs, involveVerbs set
	easyWords, minimising, needing                               set
	wordSuffixes                                                 []string
	roleMailboxes, broadcast, roleHandleParts                    set
}

type set map[string]bool

func lowerSet(words []string) set {
	s := make(set, len(words))
	for _, w := range words {
		s[strings.ToLower(w)] = true
	}
	return s
}

func exactSet(words []string) set {
	s := make(set, len(words))
	for _, w := range words {
		s[w] = true
	}
	return s
}

func phrases(list []string) phraseList {
	out := phraseList{}
	for _, p := range list {
		ws := strings.Fields(strings.ToLower(p))
		if len(ws) == 0 {
			continue
		}
		out[ws[0]] = append(out[ws[0]], phrase(ws))
	}
	for _, ps := range out {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	}
	return out
}

// loadRules parses a rules file; the embedded one is checked by the tests.
func loadRules(data []byte) (*rules, error) {
	var f ruleFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("rules.yaml: %w", err)
	}
	r := &rules{
		labels:            phrases(f.Labels),
		judgements:        phrases(f.Judgements),
		punitive:          phrases(f.Punitive),
		failures:          phrases(f.Failures),
		negFailures:       phrases(f.NegativeSubjectFailures),
		trivialising:      phrases(f.Trivialising),
		negSubjects:       phrases(f.NegativeSubjects),
		clauseBreaks:      phrases(f.ClauseBreaks),
		faultNouns:        lowerSet(f.FaultNouns),
		negations:         lowerSet(f.Negations),
		neutralAfterNeg:   lowerSet(f.NeutralAfterNegation),
		withoutObjects:    lowerSet(f.WithoutObjects),
		hindsight:         lowerSet(f.Hindsight),
		modals:            lowerSet(f.Modals),
		cfIf:              lowerSet(f.CounterfactualIf),
		cfAdverbs:         lowerSet(f.CounterfactualAdverbs),
		participles:       lowerSet(f.Participles),
		people:            lowerSet(f.People),
		systems:           lowerSet(f.Systems),
		products:          exactSet(append(f.Products, f.Places...)),
		starters:          exactSet(f.Starters),
		wordNames:         exactSet(f.WordNames),
		calendar:          exactSet(f.Calendar),
		titles:            exactSet(f.Titles),
		nameSignals:       lowerSet(f.NameSignals),
		weakSignals:       lowerSet(f.WeakSignals),
		explainedBy:       lowerSet(f.ExplainedBy),
		orgSuffixes:       exactSet(f.OrgSuffixes),
		placePrepositions: lowerSet(f.PlacePrepositions),
		timeWords:         lowerSet(f.TimeWords),
		groups:            lowerSet(f.Groups),
		conductWords:      lowerSet(f.ConductWords),
		terms:             phrases(f.Terms),
		defiance:          lowerSet(f.Defiance),
		warned:            lowerSet(f.Warned),
		reportingVerbs:    lowerSet(f.ReportingVerbs),
		involveVerbs:      lowerSet(f.InvolveVerbs),
		easyWords:         lowerSet(f.EasyWords),
		minimising:        lowerSet(f.Minimising),
		needing:           lowerSet(f.Needing),
		wordSuffixes:      f.WordSuffixes,
		roleMailboxes:     lowerSet(f.RoleMailboxes),
		broadcast:         lowerSet(f.BroadcastHandles),
		roleHandleParts:   lowerSet(f.RoleHandleParts),
	}
	if len(r.labels) == 0 || len(r.people) == 0 {
		return nil, fmt.Errorf("rules.yaml: labels and people must not be empty")
	}
	return r, nil
}

var defaultRules = mustRules()

func mustRules() *rules {
	r, err := loadRules(rulesYAML)
	if err != nil {
		panic(err) // the embedded file is tested; a bad one is a build mistake
	}
	return r
}
