// Package auth hashes passwords and makes API tokens.
//
// Passwords are hashed with argon2id at OWASP's minimum cost (19 MiB, two
// passes, one lane: about 60 ms here), written in the PHC string format
// that other tools read too:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64. A stored hash carries its
// own parameters, so raising the cost later leaves old hashes verifiable.
//
// An API token's secret is 32 random bytes, shown once as "dbf_" and
// unpadded base64url. Only its SHA-256 is stored: the secret has 256 bits
// of entropy, so a fast hash is enough and lets a request's token be looked
// up by its hash in one indexed query.
package auth
