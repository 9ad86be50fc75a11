package alerting

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
)

// SignatureHeader is the header in which PagerDuty signs its v3 webhooks.
const SignatureHeader = "X-PagerDuty-Signature"

// VerifyPagerDutySignature checks the X-PagerDuty-Signature header of a
// PagerDuty v3 webhook against the raw body. The header holds one or more
// comma-separated signatures "v1=<hex>", each the HMAC-SHA256 of the body
// keyed by one of the subscription's signing secrets (PagerDuty sends
// several while a secret is being rotated). The body is authentic when
// any v1 signature matches any of secrets; debrief accepts several for the
// same reason. Signatures of other versions are ignored. The error is
// KindUnauthorized and never tells what the right signature would be.
func VerifyPagerDutySignature(body []byte, header string, secrets ...string) error {
	var given [][]byte
	for part := range strings.SplitSeq(header, ",") {
		version, sig, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || version != "v1" {
			continue
		}
		if b, err := hex.DecodeString(strings.TrimSpace(sig)); err == nil && len(b) == sha256.Size {
			given = append(given, b)
		}
	}
	if !slices.ContainsFunc(secrets, func(s string) bool { return s != "" }) {
		return debrief.Errorf(debrief.KindUnauthorized,
			"no PagerDuty signing secret is configured to check the %s header against",
			SignatureHeader)
	}
	if len(given) == 0 {
		return debrief.Errorf(debrief.KindUnauthorized,
			"the %s header holds no v1 signature", SignatureHeader)
	}
	matched := 0
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		want := mac.Sum(nil)
		// Every pair is compared, so the time taken does not tell which
		// signature or secret matched.
		for _, g := range given {
			matched |= subtle.ConstantTimeCompare(want, g)
		}
	}
	if matched != 1 {
		return debrief.Errorf(debrief.KindUnauthorized,
			"the %s header does not match the body signed with the configured secret",
			SignatureHeader)
	}
	return nil
}

// CheckSecret reports whether the secret a tool sent is the configured
// one, in time that does not depend on where they differ. An empty want
// matches nothing, so an unset secret never lets a request in.
func CheckSecret(given, want string) bool {
	if want == "" {
		return false
	}
	// Comparing digests keeps the time independent of the lengths too.
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
