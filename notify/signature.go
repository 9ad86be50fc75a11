package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// DefaultMaxAge is the age of a signed request that Verify accepts when
// given no limit of its own: long enough for clock skew between hosts,
// short enough that a captured request cannot be replayed later.
const DefaultMaxAge = 5 * time.Minute

// Sign returns the X-Debrief-Signature value for a body sent at timestamp
// (the X-Debrief-Timestamp value): "sha256=" and the hex HMAC-SHA256 of
// timestamp + "." + body, keyed by secret.
func Sign(secret, timestamp string, body []byte) string {
	return "sha256=" + hex.EncodeToString(mac(secret, timestamp, body))
}

func mac(secret, timestamp string, body []byte) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(timestamp))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks a webhook request that debrief signed: header holds its
// headers, body its raw body, exactly as received. It accepts the request
// when the X-Debrief-Signature header (which may hold several signatures,
// comma-separated or repeated, of which one must match) is the HMAC of
// the timestamp and body keyed by secret, and the X-Debrief-Timestamp is
// within maxAge of now, before or after; maxAge 0 or less means
// DefaultMaxAge. The error is a debrief KindUnauthorized error saying
// what is wrong, never what the right signature would be.
func Verify(secret string, header http.Header, body []byte, maxAge time.Duration,
	now time.Time) error {
	if secret == "" {
		return unauthorized("no secret is configured to check the %s header against",
			HeaderSignature)
	}
	ts := header.Get(HeaderTimestamp)
	sent, err := parseTimestamp(ts)
	if err != nil {
		return err
	}
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	if age := now.Sub(sent); age > maxAge {
		return unauthorized("the %s is %s old; the limit is %s", HeaderTimestamp,
			age.Truncate(time.Second), maxAge)
	} else if -age > maxAge {
		return unauthorized("the %s is %s in the future; the limit is %s",
			HeaderTimestamp, (-age).Truncate(time.Second), maxAge)
	}

	given := signatures(header.Values(HeaderSignature))
	if len(given) == 0 {
		return unauthorized("the %s header holds no sha256 signature", HeaderSignature)
	}
	want := mac(secret, ts, body)
	matched := 0
	// Every signature is compared, so the time taken does not tell which
	// one matched.
	for _, g := range given {
		matched |= subtle.ConstantTimeCompare(want, g)
	}
	if matched != 1 {
		return unauthorized("the %s header does not match the body and timestamp signed "+
			"with the configured secret", HeaderSignature)
	}
	return nil
}

// parseTimestamp reads Unix seconds written as digits alone.
func parseTimestamp(ts string) (time.Time, error) {
	if ts == "" {
		return time.Time{}, unauthorized("the %s header is missing", HeaderTimestamp)
	}
	// 11 digits reach the year 5138; more is not a time debrief sends.
	ok := len(ts) <= 11
	for i := 0; ok && i < len(ts); i++ {
		ok = ts[i] >= '0' && ts[i] <= '9'
	}
	if !ok {
		return time.Time{}, unauthorized("the %s header is not a time in Unix seconds",
			HeaderTimestamp)
	}
	secs, _ := strconv.ParseInt(ts, 10, 64)
	return time.Unix(secs, 0), nil
}

// signatures reads the well-formed "sha256=<hex>" parts of the signature
// header's values; others are ignored, leaving room for other schemes.
func signatures(values []string) [][]byte {
	var out [][]byte
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			scheme, sig, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || scheme != "sha256" {
				continue
			}
			b, err := hex.DecodeString(sig)
			if err == nil && len(b) == sha256.Size {
				out = append(out, b)
			}
		}
	}
	return out
}

func unauthorized(format string, args ...any) error {
	return debrief.Errorf(debrief.KindUnauthorized, format, args...)
}
