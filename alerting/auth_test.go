package alerting

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// sign is the v1 signature PagerDuty computes for body with secret.
func sign(body, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(body))
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

func TestVerifyPagerDutySignature(t *testing.T) {
	body := `{"event":{"event_type":"incident.triggered"}}`
	old, next := "old-secret", "next-secret"
	for _, c := range []struct {
		name    string
		body    string
		header  string
		secrets []string
		ok      bool
	}{
		{"one signature", body, sign(body, old), []string{old}, true},
		{"rotation: two signatures", body, sign(body, next) + "," + sign(body, old),
			[]string{old}, true},
		{"rotation: two secrets", body, sign(body, next), []string{old, next}, true},
		{"spaces around", body, " " + sign(body, old) + " , v1=00", []string{old}, true},
		{"capital hex", body, "v1=" + strings.ToUpper(sign(body, old)[3:]), []string{old}, true},
		{"another secret", body, sign(body, "someone else"), []string{old}, false},
		{"body changed", body + " ", sign(body, old), []string{old}, false},
		{"other version", body, "v0=" + sign(body, old)[3:], []string{old}, false},
		{"no prefix", body, sign(body, old)[3:], []string{old}, false},
		{"not hex", body, "v1=zz" + sign(body, old)[5:], []string{old}, false},
		{"cut short", body, sign(body, old)[:40], []string{old}, false},
		{"empty header", body, "", []string{old}, false},
		{"no secret", body, sign(body, ""), nil, false},
		{"empty secret", body, sign(body, ""), []string{""}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := VerifyPagerDutySignature([]byte(c.body), c.header, c.secrets...)
			if c.ok {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted")
			}
			if debrief.ErrorKind(err) != debrief.KindUnauthorized {
				t.Errorf("kind %v, want unauthorized", debrief.ErrorKind(err))
			}
			for _, s := range c.secrets {
				if want := sign(c.body, s)[3:]; s != "" && strings.Contains(err.Error(), want) {
					t.Errorf("the error reveals the expected signature: %v", err)
				}
			}
		})
	}
}

func TestCheckSecret(t *testing.T) {
	for _, c := range []struct {
		given, want string
		ok          bool
	}{
		{"s3cret", "s3cret", true},
		{"s3cre", "s3cret", false},
		{"s3cret ", "s3cret", false},
		{"S3CRET", "s3cret", false},
		{"", "s3cret", false},
		{"", "", false},
		{"anything", "", false},
	} {
		if got := CheckSecret(c.given, c.want); got != c.ok {
			t.Errorf("CheckSecret(%q, %q) = %v, want %v", c.given, c.want, got, c.ok)
		}
	}
}
