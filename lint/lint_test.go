package lint

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// rules returns the sorted set of rule ids found in text.
func rulesFound(c *Checker, text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range c.Text("s", text) {
		if !seen[f.Rule] {
			seen[f.Rule] = true
			out = append(out, f.Rule)
		}
	}
	return out
}

func TestTextRules(t *testing.T) {
	c := New(Roster{})
	tests := []struct {
		text string
		want []string // rule ids, in order of first appearance
	}{
		// Blame a facilitator would point out.
		{"The DBA broke replication while resizing the volume.", []string{"blame.person-failed"}},
		{"Alice forgot to renew the certificate.", []string{"pii.name", "blame.person-failed"}},
		{"Root cause: human error.", []string{"blame.human-error"}},
		{"The on-call engineer should have checked the replica lag.",
			[]string{"blame.counterfactual"}},
		{"The operator was careless with the load balancer pool.", []string{"blame.judgement"}},
		{"Clearly the reviewer never opened the diff.",
			[]string{"blame.hindsight", "blame.person-failed"}},
		{"The fix was simply to restart the pod.", []string{"blame.hindsight"}},
		{"The SRE team didn't bother to read the alert.", []string{"blame.judgement"}},
		{"Be more careful when deploying.", []string{"blame.judgement"}},
		{"If the engineer had just waited, nothing would have broken.",
			[]string{"blame.counterfactual"}},
		{"This was the platform team's fault.", []string{"blame.person-fault"}},
		// Systems, technical terms and rejected labels are not blame.
		{"The health check failed to respond within two seconds.", nil},
		{"The job should have retried, but its retry budget was zero.", nil},
		{"git blame showed the line had not changed since 2019.", nil},
		{"Just-in-time compilation caused a CPU spike after each restart.", nil},
		{"The extra latency was negligible.", nil},
		{"We avoided the label 'human error': the console had no confirmation step.", nil},
		{"Jenkins failed to schedule the build because the agent pool was full.", nil},
		{"Cassandra dropped writes during compaction.", nil},
		{"Jarvis, our deploy bot, reported a successful rollout.", nil},
		{"The queue simply stopped draining after the upgrade.", nil},
		{"The certificate expired just after midnight.", nil},
		{"There was no obvious anomaly in the graphs.", nil},
		// Judging words need a person to judge; a system or a passive has none.
		{"The engineer mistakenly ran the cleanup against prod.", []string{"blame.judgement"}},
		{"The job mistakenly targeted the wrong resource group.", nil},
		{"The thread panicked at main.rs:119.", nil},
		{"We should lazy load the replay extension.", nil},
		{"QA should've caught this in staging.", []string{"blame.counterfactual"}},
		{"A simple query would have shown the duplicate rows.", []string{"blame.hindsight"}},
		{"The cluster just needed to warm up.", nil},
		{"The outage came down to Raj not reading the notes.",
			[]string{"pii.name", "blame.person-failed"}},
		{"Jordan was warned twice and restarted the primary anyway.",
			[]string{"pii.name", "blame.person-failed"}},
		{"The on-call paged the DB team anyway, just in case.", nil},
		// Reports, passives, adjectives and gerunds state what happened.
		{"The IPS team confirmed that he did not suspend the account.", nil},
		{"The page was missed due to misconfigured routing.", nil},
		{"The navigators' concerns were reportedly dismissed.", nil},
		{"Appointing an incident manager could have helped.", nil},
		{"Customers who did not update the SDK were affected.", nil},
		{"The ticket went to the wrong queue because the form defaults to it.", nil},
		// Words that are names only in context.
		{"Will the new limiter cope with bursts?", nil},
		{"We will mark the pool as deprecated.", nil},
		{"Grant types other than client_credentials were rejected.", nil},
		{"Mark-and-sweep pauses reached four seconds.", nil},
		{"Hope is not a strategy.", nil},
		{"Mark restarted the consumer group.", []string{"pii.name"}},
		{"Will Thompson posted the customer updates.", []string{"pii.name"}},
		// Identifiers.
		{"Write to dana.k@example.com for access.", []string{"pii.email"}},
		{"Alerts come from noreply@example.com.", nil},
		{"Pushes to git@github.com:example/infra.git failed.", nil},
		{"Call +1 415 555 0187 after hours.", []string{"pii.phone"}},
		{"Ticket INC-20231104-0071 tracks the work.", nil},
		{"Ask @jlee for the snapshot.", []string{"pii.handle"}},
		{"Loop in Priya if the rebuild stalls.", []string{"pii.name"}},
		{"The worm shipped in @posthog/agent 1.24.1.", nil},
		{"Date:   Mon May 10 19:03:52 2021 +0900", nil},
		{"<@U024BE7LH> acknowledged the page.", []string{"pii.handle"}},
		{"The alert went to @here and @oncall-db.", nil},
		{"A bean annotated with @Scheduled had a bad cron expression.", nil},
		{"The image nginx@sha256:3f1c9a7e0b did not match.", nil},
	}
	for _, tt := range tests {
		got := rulesFound(c, tt.text)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q: rules (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestNamesInContext holds the rules that tell a capitalised word from a
// person's name by its place: tables, time stamps, titles, products,
// places, lists of things, code and addresses.
func TestNamesInContext(t *testing.T) {
	c := New(Roster{})
	tests := []struct {
		text string
		want []string // the flagged names
	}{
		{"- 09:30 UTC Reports of the outage reached support.", nil},
		{"- 10:03 UTC Priya reverted the change.", []string{"Priya"}},
		{"**Status:** Resolved", nil},
		{"✅ **Quick rollback** – Reports of errors stopped within minutes.", nil},
		{"The job read from AWS Glue and GitHub Pages.", nil},
		{"We migrated the Hellman cluster on Friday.", nil},
		{"Traffic from users based in Melbourne dropped.", nil},
		{"The audit by Trail of Bits found the bug.", nil},
		{"Affected: Google Cloud Functions, Apigee and Firebase.", nil},
		{"Console, gcloud, and direct API access failed.", nil},
		{"The `Endpoints` objects churned.", nil},
		{"See https://example.com/News/Article/1 for details.", nil},
		{"Manually restarted the pod.", nil},
		{"The change was tested by Cloud Engineering.", nil},
		{"The Windows Background Task Scheduler service stopped.", nil},
		{"The payload sat in \\AppData\\Local\\Temp on the host.", nil},
		{"Pull requests to Chia-Network/chia-blockchain ran on our runners.", nil},
		{"Mei-Ling and Arjun took the east and west regions.", []string{"Mei-Ling", "Arjun"}},
		{"The change was reviewed by Nguyen Thi Mai.", []string{"Nguyen Thi Mai"}},
		{"We sent updates to Soren, Lloyd and Peter Taylor.", []string{"Soren", "Lloyd",
			"Peter Taylor"}},
		{"The clerk and Justin called the bank.", []string{"Justin"}},
		{"We escalated to Team Lead Priya Raman.", []string{"Priya Raman"}},
		{"Thanks, Niels Lunn, for the report.", []string{"Niels Lunn"}},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range c.Text("s", tt.text) {
			if f.Rule == "pii.name" {
				got = append(got, tt.text[f.Start:f.End])
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q: names (-want +got):\n%s", tt.text, diff)
		}
	}
	doc := "| Date | Owner | Event |\n|---|---|---|\n| 2024-01-02 | Priya | paged |\n" +
		"Pods were restarted; each pod came back. Deployed the fix after the deployment review."
	sys := map[string]bool{}
	for _, w := range DocumentSystems(doc) {
		sys[w] = true
	}
	for _, w := range []string{"Date", "Owner", "Event", "Pods", "Deployed"} {
		if !sys[w] {
			t.Errorf("DocumentSystems lacks %q: %v", w, sys)
		}
	}
	if sys["Priya"] {
		t.Error("a name in a table's body was taken for a column label")
	}
}

// TestOneFindingPerWords checks that the same words get one finding, the
// most specific: "be more careful" is not also "more careful".
func TestOneFindingPerWords(t *testing.T) {
	c := New(Roster{})
	for _, text := range []string{
		"The engineer should be more careful.",
		"Be more careful when deploying.",
		"The SRE team didn't bother to read the alert.",
	} {
		if got := c.Text("s", text); len(got) != 1 {
			t.Errorf("%q: %d findings, want 1: %+v", text, len(got), got)
		}
	}
}

// TestMorePhoneShapes checks a national number with a trunk zero and a
// tel: link, and that dates and versions stay numbers.
func TestMorePhoneShapes(t *testing.T) {
	c := New(Roster{})
	for text, want := range map[string]bool{
		"Call 020 7946 0958 after hours.":       true,
		"Dial tel:+14155550199 for the bridge.": true,
		"Released 2024 03 06 at noon.":          false,
		"Version 1.20.3 went out.":              false,
	} {
		got := false
		for _, f := range c.Text("s", text) {
			got = got || f.Rule == "pii.phone"
		}
		if got != want {
			t.Errorf("%q: pii.phone %v, want %v", text, got, want)
		}
	}
}

// TestSuggestionEndsOnce checks that a suggestion ending in a question
// mark gets no full stop after it.
func TestSuggestionEndsOnce(t *testing.T) {
	p := &debrief.Postmortem{ActionItems: []debrief.ActionItem{{Number: 1,
		Description: "Be more careful with deploys"}}}
	for _, f := range Completeness(p) {
		if strings.HasSuffix(f.Suggestion, "?.") {
			t.Errorf("suggestion %q", f.Suggestion)
		}
	}
}
