package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	secret, hash := NewToken()
	raw, ok := strings.CutPrefix(secret, "dbf_")
	if !ok {
		t.Fatalf("secret %q lacks the dbf_ prefix", secret)
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) != 32 {
		t.Errorf("secret %q is not 32 bytes of base64url: %d bytes, %v", secret, len(b), err)
	}
	sum := sha256.Sum256([]byte(secret))
	if hash != hex.EncodeToString(sum[:]) || HashToken(secret) != hash {
		t.Errorf("hash %q is not the hex SHA-256 of the secret", hash)
	}
	if strings.Contains(hash, raw) {
		t.Error("the hash contains the secret")
	}

	other, _ := NewToken()
	if other == secret {
		t.Error("two tokens have the same secret")
	}
}
