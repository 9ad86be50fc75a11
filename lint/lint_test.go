package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
		{"The SRE team didn't bother to read the alert.",
			[]string{"blame.judgement", "blame.person-failed"}},
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
