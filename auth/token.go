package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// TokenPrefix starts every API token secret, so that one found in a log or
// a repository is recognised (and secret scanners can look for it).
const TokenPrefix = "dbf_"

// NewToken makes an API token: secret is shown to the user once, hash is
// what the store keeps (see HashToken).
func NewToken() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b) // never fails; it crashes the program instead
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, HashToken(secret)
}

// HashToken returns the hex SHA-256 of a token secret as presented, by
// which the store finds the token.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
