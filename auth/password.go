package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/debrief-oss/debrief"
)

// The lengths a password may have, in bytes. The upper bound keeps a
// request from making the server hash megabytes.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 1024
)

// Params are the argon2id cost parameters and lengths of a hash.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	SaltLen int    // bytes
	KeyLen  int    // bytes
}

// DefaultParams are what HashPassword uses: OWASP's minimum for argon2id.
var DefaultParams = Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on the parameters VerifyPassword accepts from a stored hash, so that
// a crafted hash cannot make one verification take gigabytes or minutes.
const (
	maxMemory = 1 << 20 // KiB: 1 GiB
	maxTime   = 64
	minSalt   = 8
	maxSalt   = 64
	minKey    = 16
	maxKey    = 128
)

// b64 is the base64 of PHC strings: standard alphabet, no padding, and
// strict, so that each hash has one spelling.
var b64 = base64.RawStdEncoding.Strict()

// HashPassword hashes pw with argon2id, DefaultParams and a random salt,
// returning the PHC string. A password shorter than MinPasswordLen or
// longer than MaxPasswordLen bytes is a KindInvalid error.
func HashPassword(pw string) (string, error) {
	if len(pw) < MinPasswordLen {
		return "", debrief.Errorf(debrief.KindInvalid,
			"the password is too short: use at least %d characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return "", debrief.Errorf(debrief.KindInvalid,
			"the password is too long: use at most %d bytes", MaxPasswordLen)
	}
	p := DefaultParams
	salt := make([]byte, p.SaltLen)
	rand.Read(salt) // never fails; it crashes the program instead
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(p.KeyLen))
	return encodePHC(p, salt, key), nil
}

// VerifyPassword reports whether pw is the password hashed in the PHC string
// hash, comparing in constant time. The hash may use any parameters within
// sane limits. A password longer than MaxPasswordLen never matches and is
// not hashed. A hash that cannot be read is an error.
func VerifyPassword(hash, pw string) (bool, error) {
	p, salt, key, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	if len(pw) > MaxPasswordLen {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

func encodePHC(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errMalformed = errors.New("malformed password hash")

// parsePHC reads an argon2id PHC string. It accepts only the canonical
// spelling (parameters in the order m, t, p; decimal without leading zeros;
// strict base64), so that a hash parsed and encoded again is unchanged.
func parsePHC(s string) (p Params, salt, key []byte, err error) {
	fields := strings.Split(s, "$")
	if len(fields) != 6 || fields[0] != "" || fields[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: not an argon2id PHC string", errMalformed)
	}
	if fields[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", errMalformed, fields[2])
	}

	var m, t, threads uint64
	params := strings.Split(fields[3], ",")
	if len(params) != 3 {
		return p, nil, nil, fmt.Errorf("%w: want parameters m, t and p", errMalformed)
	}
	for i, dst := range []*uint64{&m, &t, &threads} {
		name := "mtp"[i : i+1]
		v, ok := strings.CutPrefix(params[i], name+"=")
		if *dst, ok = decimal(v, ok); !ok {
			return p, nil, nil, fmt.Errorf("%w: bad parameter %q", errMalformed, params[i])
		}
	}
	if threads < 1 || threads > 255 || t < 1 || t > maxTime || m < 8*threads || m > maxMemory {
		return p, nil, nil, fmt.Errorf("%w: parameters out of range", errMalformed)
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads)}

	salt, err = decodeB64(fields[4])
	if err != nil || len(salt) < minSalt || len(salt) > maxSalt {
		return p, nil, nil, fmt.Errorf("%w: bad salt", errMalformed)
	}
	key, err = decodeB64(fields[5])
	if err != nil || len(key) < minKey || len(key) > maxKey {
		return p, nil, nil, fmt.Errorf("%w: bad hash", errMalformed)
	}
	p.SaltLen, p.KeyLen = len(salt), len(key)
	return p, salt, key, nil
}

// decodeB64 decodes unpadded standard base64, refusing the line breaks that
// encoding/base64 skips even in strict mode.
func decodeB64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errMalformed
	}
	return b64.DecodeString(s)
}

// decimal reads s as a canonical unsigned decimal: digits only, no leading
// zero, at most nine digits. ok passes a previous step's success through.
func decimal(s string, ok bool) (uint64, bool) {
	if !ok || s == "" || len(s) > 9 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	var v uint64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
