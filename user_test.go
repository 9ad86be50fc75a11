package debrief

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAccessRoleAllows(t *testing.T) {
	for i, have := range AccessRoles {
		for j, need := range AccessRoles {
			if got, want := have.Allows(need), i >= j; got != want {
				t.Errorf("%s.Allows(%s) = %v, want %v", have, need, got, want)
			}
		}
		if have.Allows("root") || AccessRole("root").Allows(have) {
			t.Errorf("an unknown role is allowed or allows, beside %s", have)
		}
	}
	if AccessRole("").Allows(AccessViewer) {
		t.Error("the empty role allows viewing")
	}
}

func TestParseAccessRole(t *testing.T) {
	for in, want := range map[string]AccessRole{
		"viewer": AccessViewer, " Admin ": AccessAdmin, "FACILITATOR": AccessFacilitator,
	} {
		got, err := ParseAccessRole(in)
		if err != nil || got != want {
			t.Errorf("ParseAccessRole(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "owner", "admins"} {
		if _, err := ParseAccessRole(in); ErrorKind(err) != KindInvalid {
			t.Errorf("ParseAccessRole(%q): %v, want a KindInvalid error", in, err)
		}
	}
}

func TestValidateUserName(t *testing.T) {
	good := []string{"a", "alice", "Bob.Smith", "on-call_2", strings.Repeat("x", 64)}
	for _, name := range good {
		if err := ValidateUserName(name); err != nil {
			t.Errorf("ValidateUserName(%q): %v", name, err)
		}
	}
	bad := []string{"", strings.Repeat("x", 65), "alice smith", "bob@example.com",
		"zoë", "a/b", "tab\t", "new\nline"}
	for _, name := range bad {
		if err := ValidateUserName(name); ErrorKind(err) != KindInvalid {
			t.Errorf("ValidateUserName(%q): %v, want a KindInvalid error", name, err)
		}
	}
}

// TestUserJSONHasNoPasswordHash: a user listed as JSON must not carry the
// hash, which an attacker could try passwords against offline.
func TestUserJSONHasNoPasswordHash(t *testing.T) {
	u := User{Name: "alice", Role: AccessAdmin, PasswordHash: "$argon2id$secret-hash"}
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "argon2id") || strings.Contains(string(b), "password") {
		t.Errorf("user JSON shows the password hash: %s", b)
	}
}

func TestDisplayNameHasNoControlCharacters(t *testing.T) {
	u := &User{Name: "eve", Role: AccessViewer, DisplayName: "Eve\x1b[31mRed"}
	if err := u.Validate(); ErrorKind(err) != KindInvalid {
		t.Errorf("display name with an escape sequence: %v, want invalid", err)
	}
	u.DisplayName = "Ève Martin"
	if err := u.Validate(); err != nil {
		t.Errorf("plain display name: %v", err)
	}
}

func TestUserEmailsTheMailerCanSendTo(t *testing.T) {
	for email, ok := range map[string]bool{"ana@example.com": true, "": true,
		"düsseldorf@example.test": false, "a@[127.0.0.1]": false, "ana": false,
		"Ana <ana@example.com>": false, "a b@example.com": false} {
		u := User{Name: "ana", Role: AccessViewer, Email: email}
		if err := u.Validate(); (err == nil) != ok {
			t.Errorf("%q: %v, want ok %v", email, err, ok)
		}
	}
}
