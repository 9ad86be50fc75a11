package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// roles is the enum of --role flags, least allowed first.
const roles = "viewer,contributor,facilitator,admin"

type userCmd struct {
	Add   userAddCmd   `cmd:"" help:"Add a person who may sign in."`
	List  userListCmd  `cmd:"" help:"List people, their roles and e-mail addresses."`
	Email userEmailCmd `cmd:"" help:"Set the e-mail address a person's notifications go to."`
}

type userAddCmd struct {
	Name          string `arg:"" help:"Login name: letters, digits, '.', '_' and '-'."`
	Role          string `required:"" enum:"${roles}" help:"viewer, contributor, facilitator or admin."`
	DisplayName   string `help:"Name shown to others, e.g. \"Alice Liddell\"."`
	Email         string `help:"Address for notifications about their action items."`
	PasswordStdin bool   `help:"Read the password from the first line of standard input instead of asking."`
}

func (c *userAddCmd) Run(e *env) error {
	if err := e.localOnly("user add", peopleOnServer); err != nil {
		return err
	}
	u := &debrief.User{Name: c.Name, DisplayName: c.DisplayName, Role: debrief.AccessRole(c.Role),
		Email: c.Email}
	if err := u.Validate(); err != nil {
		return err
	}
	pw, err := c.password(e)
	if err != nil {
		return err
	}
	if u.PasswordHash, err = auth.HashPassword(pw); err != nil {
		return err
	}

	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.CreateUser(e.ctx, u); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "user %s added as %s\n", u.Name, u.Role)
	return nil
}

type userEmailCmd struct {
	Name  string `arg:"" help:"Login name."`
	Email string `arg:"" help:"E-mail address; \"\" removes it."`
}

func (c *userEmailCmd) Run(e *env) error {
	if err := e.localOnly("user email", emailOnServer); err != nil {
		return err
	}
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.SetEmail(e.ctx, c.Name, c.Email); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "e-mail of %s set\n", c.Name)
	return nil
}

// password reads the new user's password: the first line of standard
// input with --password-stdin, else typed twice at the terminal without
// echo. Without either there is no safe way to ask, and it fails.
func (c *userAddCmd) password(e *env) (string, error) {
	if c.PasswordStdin {
		return firstLine(e.stdin)
	}
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", debrief.Errorf(debrief.KindInvalid,
			"standard input is not a terminal, so the password cannot be asked for: "+
				"pipe it in with --password-stdin")
	}
	fd := int(f.Fd())
	fmt.Fprintf(e.stderr, "Password for %s: ", c.Name)
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(e.stderr, "Again: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(e.stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", debrief.Errorf(debrief.KindInvalid, "the passwords differ")
	}
	return string(first), nil
}

// firstLine reads the first line of r without its line ending. It reads no
// more than a password may be long, plus room to tell that it is too long.
func firstLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, auth.MaxPasswordLen+3)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

type userListCmd struct {
	Format string `enum:"text,json" default:"text" help:"text or json."`
}

func (c *userListCmd) Run(e *env) error {
	if err := e.localOnly("user list", peopleOnServer); err != nil {
		return err
	}
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()

	users, err := store.Users(e.ctx)
	if err != nil {
		return err
	}
	if c.Format == "json" {
		if users == nil {
			users = []debrief.User{}
		}
		return writeJSON(e.stdout, users)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	// The display name goes last, as the one column that may hold spaces.
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tSTATE\tEMAIL\tDISPLAY NAME")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		email := u.Email
		if email == "" {
			email = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role,
			u.CreatedAt.Format("2006-01-02"), state, email, oneLine(u.DisplayName, 40))
	}
	return tw.Flush()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// emailOnServer says where a server's people set their e-mail addresses.
const emailOnServer = "each person sets their own e-mail address on their /account page"

// peopleOnServer says where a server's people are managed.
const peopleOnServer = "an admin manages people on its /users page or through " +
	"/api/v1/users"
