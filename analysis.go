package debrief

// Analysis is the root-cause analysis: why-chains, fishbone causes, and the
// narrative parts reports commonly write as prose.
type Analysis struct {
	// RootCause is the root-cause narrative in Markdown, as written.
	RootCause string `json:"root_cause,omitempty"`
	// Trigger is what set the incident off, when the report names it apart.
	Trigger string `json:"trigger,omitempty"`
	// Detection says how the incident was noticed.
	Detection string `json:"detection,omitempty"`
	// Resolution says how service was restored and recovered.
	Resolution string `json:"resolution,omitempty"`

	// Whys is a forest of why-chains: each node answers "why?" about its
	// parent. Branches may have any depth and any number of children.
	Whys   []Why   `json:"whys,omitempty"`
	Causes []Cause `json:"causes,omitempty"`
}

// CauseKind distinguishes causal factors from root causes. The zero kind is
// a cause not yet judged either way.
type CauseKind string

// The cause kinds.
const (
	CauseUnjudged CauseKind = ""
	CauseCausal   CauseKind = "causal"
	CauseRoot     CauseKind = "root"
)

// Why is one node of a why-chain. IDs are unique within a report; ParentID 0
// marks a chain's first question.
type Why struct {
	ID       int       `json:"id"`
	ParentID int       `json:"parent_id,omitempty"`
	Question string    `json:"question,omitempty"`
	Answer   string    `json:"answer"`
	Kind     CauseKind `json:"kind,omitempty"`
}

// FishboneCategory is a bone of the Ishikawa diagram.
type FishboneCategory string

// The fishbone categories of the guide.
const (
	BonePeople      FishboneCategory = "People"
	BoneProcess     FishboneCategory = "Process"
	BoneTechnology  FishboneCategory = "Technology"
	BoneEnvironment FishboneCategory = "Environment"
	BoneMaterials   FishboneCategory = "Materials"
	BoneManagement  FishboneCategory = "Management"
)

// FishboneCategories lists the bones in display order.
var FishboneCategories = []FishboneCategory{
	BonePeople, BoneProcess, BoneTechnology, BoneEnvironment, BoneMaterials, BoneManagement,
}

// Cause is one cause on the fishbone.
type Cause struct {
	Category FishboneCategory `json:"category"`
	Text     string           `json:"text"`
	Kind     CauseKind        `json:"kind,omitempty"`
}

// FactorCategory is a category of contributing factor.
type FactorCategory string

// The nine contributing-factor categories of the guide. Human factors are
// framed as system design, never as a person's fault.
const (
	FactorMonitoring    FactorCategory = "Monitoring & Alerting"
	FactorProcesses     FactorCategory = "Processes & Procedures"
	FactorTools         FactorCategory = "Tools & Automation"
	FactorDesign        FactorCategory = "Technical Design & Architecture"
	FactorConfiguration FactorCategory = "Configuration Management"
	FactorCapacity      FactorCategory = "Capacity & Performance"
	FactorSecurity      FactorCategory = "Security Vulnerabilities"
	FactorExternal      FactorCategory = "External Dependencies"
	FactorHuman         FactorCategory = "Human Factors"
)

// FactorCategories lists the contributing-factor categories in display order.
var FactorCategories = []FactorCategory{
	FactorMonitoring, FactorProcesses, FactorTools, FactorDesign, FactorConfiguration,
	FactorCapacity, FactorSecurity, FactorExternal, FactorHuman,
}

// ContributingFactor is a condition that made the incident possible or worse.
// Category is empty when the report did not say and nobody has judged it yet.
type ContributingFactor struct {
	Category       FactorCategory `json:"category,omitempty"`
	Description    string         `json:"description"`
	HowContributed string         `json:"how_contributed,omitempty"`
}

// ImpactKind is an area the incident affected.
type ImpactKind string

// The impact kinds of the guide.
const (
	ImpactBusiness    ImpactKind = "business"
	ImpactCustomer    ImpactKind = "customer"
	ImpactOperational ImpactKind = "operational"
	ImpactSecurity    ImpactKind = "security"
)

// ImpactKinds lists the impact kinds in display order.
var ImpactKinds = []ImpactKind{ImpactBusiness, ImpactCustomer, ImpactOperational, ImpactSecurity}

// Impact describes what the incident cost in one area, with quantities where
// they are known (nil when not) and qualitative notes.
type Impact struct {
	Kind               ImpactKind `json:"kind,omitempty"`
	Description        string     `json:"description,omitempty"`
	MinutesDown        *float64   `json:"minutes_down,omitempty"`
	UsersAffected      *int64     `json:"users_affected,omitempty"`
	FailedTransactions *int64     `json:"failed_transactions,omitempty"`
	// Money is the financial loss in the smallest sensible unit of Currency
	// as a decimal string ("12500.00"), so no float rounding creeps in.
	Money    string `json:"money,omitempty"`
	Currency string `json:"currency,omitempty"`
}

// LessonKind sorts lessons learned.
type LessonKind string

// The lesson kinds.
const (
	LessonWentWell  LessonKind = "went_well"
	LessonWentWrong LessonKind = "went_wrong"
	LessonLucky     LessonKind = "lucky"
	LessonGeneral   LessonKind = "general"
)

// LessonKinds lists the lesson kinds in display order.
var LessonKinds = []LessonKind{LessonWentWell, LessonWentWrong, LessonLucky, LessonGeneral}

// Lesson is one lesson learned.
type Lesson struct {
	Kind LessonKind `json:"kind"`
	Text string     `json:"text"`
}

// OrderWhys returns the why-chains in reading order: each chain's first
// question, then the whys under each answer depth first, siblings in the
// order given. Stores keep whys in this order, so a report reads back, and
// survives an export and import, as it reads on the page. Whys whose parent
// is missing, or that form a loop, come last in the order given.
func OrderWhys(whys []Why) []Why {
	if len(whys) == 0 {
		return whys
	}
	known := make(map[int]bool, len(whys))
	for _, w := range whys {
		known[w.ID] = true
	}
	children := make(map[int][]int, len(whys))
	for i, w := range whys {
		parent := w.ParentID
		if !known[parent] {
			parent = 0
		}
		children[parent] = append(children[parent], i)
	}
	out := make([]Why, 0, len(whys))
	placed := make([]bool, len(whys))
	var visit func(parent int)
	visit = func(parent int) {
		for _, i := range children[parent] {
			if placed[i] {
				continue
			}
			placed[i] = true
			out = append(out, whys[i])
			visit(whys[i].ID)
		}
	}
	visit(0)
	for i, w := range whys {
		if !placed[i] {
			out = append(out, w)
		}
	}
	return out
}
