package auth

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/debrief-oss/debrief"
)

func TestHashAndVerifyPassword(t *testing.T) {
	hash, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(hash) {
		t.Errorf("hash %q is not in the PHC form with the default parameters", hash)
	}
	for pw, want := range map[string]bool{
		"correct horse battery staple":  true,
		"correct horse battery staplE":  false,
		"correct horse battery staple ": false,
		"":                              false,
	} {
		got, err := VerifyPassword(hash, pw)
		if err != nil || got != want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, got, err, want)
		}
	}

	again, _ := HashPassword("correct horse battery staple")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestPasswordLength(t *testing.T) {
	for _, pw := range []string{"", "1234567", strings.Repeat("x", MaxPasswordLen+1)} {
		if _, err := HashPassword(pw); debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Errorf("HashPassword of %d bytes: %v, want a KindInvalid error", len(pw), err)
		}
	}
	for _, pw := range []string{"12345678", strings.Repeat("é", MaxPasswordLen/2)} {
		if _, err := HashPassword(pw); err != nil {
			t.Errorf("HashPassword of %d bytes: %v", len(pw), err)
		}
	}
}

// TestVerifyOtherParameters: a hash made with other costs (older, or from
// another tool) still verifies, by the parameters written in it.
func TestVerifyOtherParameters(t *testing.T) {
	salt := []byte("0123456789abcdef01")
	p := Params{Memory: 64, Time: 3, Threads: 2}
	key := argon2.IDKey([]byte("hunter22"), salt, p.Time, p.Memory, p.Threads, 24)
	hash := encodePHC(p, salt, key)
	if want := "$argon2id$v=19$m=64,t=3,p=2$"; !strings.HasPrefix(hash, want) {
		t.Fatalf("hash %q lacks %q", hash, want)
	}
	if ok, err := VerifyPassword(hash, "hunter22"); !ok || err != nil {
		t.Errorf("right password: %v, %v", ok, err)
	}
	if ok, err := VerifyPassword(hash, "hunter23"); ok || err != nil {
		t.Errorf("wrong password: %v, %v", ok, err)
	}
}

func TestVerifyMalformedHash(t *testing.T) {
	good := "$argon2id$v=19$m=64,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$" +
		"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"
	if _, err := VerifyPassword(good, "x"); err != nil {
		t.Fatalf("the base case does not parse: %v", err)
	}
	for _, hash := range []string{
		"",
		"plaintext",
		strings.Replace(good, "argon2id", "argon2i", 1),
		strings.Replace(good, "v=19", "v=16", 1),
		strings.Replace(good, "m=64,t=1,p=1", "t=1,m=64,p=1", 1),
		strings.Replace(good, "m=64", "m=064", 1),
		strings.Replace(good, "m=64", "m=4", 1),        // below 8 KiB per lane
		strings.Replace(good, "m=64", "m=99999999", 1), // 95 GiB
		strings.Replace(good, "t=1", "t=0", 1),
		strings.Replace(good, "p=1", "p=256", 1),
		strings.Replace(good, "p=1", "p=+1", 1),
		strings.Replace(good, "$MDEyMzQ1Njc4OWFiY2RlZg$", "$MDEy$", 1), // short salt
		strings.Replace(good, "$MDEyMzQ1Njc4OWFiY2RlZg$", "$MDEyMzQ1Njc4OWFiY2RlZg==$", 1),
		good + "$",
		good[:len(good)-28], // a 11-byte hash
	} {
		if ok, err := VerifyPassword(hash, "x"); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", hash, ok, err)
		}
	}
}

// FuzzParsePHC: no input makes the parser panic, and what it accepts it
// encodes back to the same string, so there is one spelling per hash.
func FuzzParsePHC(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$" +
		"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY")
	f.Add("$argon2id$v=19$m=64,t=3,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA")
	f.Add("$argon2i$v=19$m=64,t=3,p=2$$")
	f.Add("$$$$$")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := parsePHC(s)
		if err != nil {
			return
		}
		if again := encodePHC(p, salt, key); again != s {
			t.Errorf("parsed %q, encoded back as %q", s, again)
		}
	})
}
