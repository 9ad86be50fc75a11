package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFacilitatorRules checks rules a facilitator states in general terms:
// a team's "we" or "I" that failed is blame too; a subject left out after
// "but" is the one before it; a mistake made by a person, or done "by
// mistake", is theirs; retraining a person is punishment; a label that is
// denied is no label; a log line in a code block is quoted, not written.
func TestFacilitatorRules(t *testing.T) {
	c := New(Roster{})
	tests := []struct {
		text string
		want []string
	}{
		{"We forgot to renew the certificate.", []string{"blame.person-failed"}},
		{"I failed to verify the backup.", []string{"blame.person-failed"}},
		{"We failed over to the secondary region.", nil},
		{"We did not see any errors in the logs.", nil},
		{"We mistakenly thought the replica was in sync.", []string{"blame.judgement"}},
		{"The author correctly set the variable but failed to transmit it.",
			[]string{"blame.person-failed"}},
		{"The job set the variable but failed to transmit it.", nil},
		{"The SRE made a mistake.", []string{"blame.person-fault"}},
		{"The outage was caused by a typo by the operator.", []string{"blame.person-fault"}},
		{"The operator deleted the IAM role by mistake.", []string{"blame.judgement"}},
		{"The script deleted the IAM role by mistake.", nil},
		{"We will retrain the operator.", []string{"blame.punitive"}},
		{"We will retrain the model on fresh data.", nil},
		{"We do not believe this was human error.", nil},
		{"The support team, who believed Firefox ignored the header, closed the ticket.",
			nil},
		{"The engineer believed the job had run but forgot to check it.",
			[]string{"blame.person-failed"}},
		{"This was not human error: the console had no confirmation step.", nil},
		{"```\nERROR: human error detected\nAlice forgot\n```\n", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, rulesFound(c, tt.text)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.text, diff)
		}
	}
}
