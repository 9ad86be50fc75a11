package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

type tokenCmd struct {
	Create tokenCreateCmd `cmd:"" help:"Make an API token and print its secret, once."`
	List   tokenListCmd   `cmd:"" help:"List a person's API tokens."`
	Revoke tokenRevokeCmd `cmd:"" help:"Revoke an API token."`
}

type tokenCreateCmd struct {
	User  string `required:"" help:"Whose token it is."`
	Role  string `enum:",${roles}" default:"" help:"What it allows, at most the user's role (the default)."`
	Label string `help:"What it is for, e.g. \"CI importer\"."`
}

// Run prints the secret alone on standard output, so that a script can
// capture it; what else there is to say goes to standard error.
func (c *tokenCreateCmd) Run(e *env) error {
	if err := e.localOnly("token create", tokensOnServer); err != nil {
		return err
	}
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()

	secret, hash := auth.NewToken()
	t := &debrief.Token{UserName: c.User, Role: debrief.AccessRole(c.Role), Label: c.Label}
	if err := store.CreateToken(e.ctx, t, hash); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	fmt.Fprintf(e.stderr, "token %d for %s as %s; the secret above is shown only this once\n",
		t.ID, t.UserName, t.Role)
	return nil
}

type tokenListCmd struct {
	User   string `required:"" help:"Whose tokens to list."`
	Format string `enum:"text,json" default:"text" help:"text or json."`
}

func (c *tokenListCmd) Run(e *env) error {
	if err := e.localOnly("token list", tokensOnServer); err != nil {
		return err
	}
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()

	tokens, err := store.Tokens(e.ctx, c.User)
	if err != nil {
		return err
	}
	if c.Format == "json" {
		if tokens == nil {
			tokens = []debrief.Token{}
		}
		return writeJSON(e.stdout, tokens)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tCREATED\tLAST USED\tREVOKED\tLABEL")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Role, day(t.CreatedAt),
			day(t.LastUsedAt), day(t.RevokedAt), oneLine(t.Label, 40))
	}
	return tw.Flush()
}

// day formats a date for a table, "-" for none.
func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02")
}

type tokenRevokeCmd struct {
	ID int64 `arg:"" help:"The token's ID, as token list shows it."`
}

func (c *tokenRevokeCmd) Run(e *env) error {
	if err := e.localOnly("token revoke", tokensOnServer); err != nil {
		return err
	}
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()

	if err := store.RevokeToken(e.ctx, c.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "token %d revoked\n", c.ID)
	return nil
}

// tokensOnServer says where a server's tokens are made and revoked.
const tokensOnServer = "make and revoke your tokens on its /account page or through " +
	"/api/v1/tokens; an admin manages people through /users or /api/v1/users"
