// Command debrief is the blameless-postmortem system: a web server, and a
// command line that imports, exports, lists, shows and searches reports on a
// local database file or PostgreSQL.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/client"
	"github.com/debrief-oss/debrief/sqlstore"
)

// Exit codes. Scripts (and CI gates) rely on them.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and something failed: a file, a lookup
	exitUsage   = 2 // the command line itself was wrong
)

// cli is the whole command line. Global flags come first; each command is a
// type with a Run method.
type cli struct {
	DB string `name:"db" env:"DEBRIEF_DB" default:"debrief.db" placeholder:"PATH|URL" help:"SQLite file or postgres:// URL."`
	// Server and APIToken send the commands that work on reports to a
	// running server instead of the database.
	Server     string `name:"server" env:"DEBRIEF_SERVER" placeholder:"URL" help:"A debrief server to work on instead of --db (list, show, export, import, search, lint by ID, policy check, timeline import, actions)."`
	APIToken   string `name:"token" env:"DEBRIEF_TOKEN" placeholder:"TOKEN" help:"API token for --server. Prefer the environment variable: arguments show in process lists."`
	PolicyFile string `name:"policy" env:"DEBRIEF_POLICY" type:"existingfile" placeholder:"FILE" help:"Trigger policy (YAML) for serve and policy check; the guide's policy when not given (see debrief policy show)."`

	Serve    serveCmd    `cmd:"" help:"Run the web server."`
	Import   importCmd   `cmd:"" help:"Import postmortems from Markdown files, folders and zip archives."`
	Export   exportCmd   `cmd:"" help:"Export postmortems as Markdown files or one JSON document."`
	List     listCmd     `cmd:"" help:"List postmortems."`
	Show     showCmd     `cmd:"" help:"Show one postmortem."`
	Search   searchCmd   `cmd:"" help:"Search postmortems."`
	User     userCmd     `cmd:"" help:"Add and list people who may sign in."`
	Token    tokenCmd    `cmd:"" help:"Create, list and revoke API tokens."`
	Policy   policyCmd   `cmd:"" help:"Check incidents against the trigger policy, and show it."`
	Timeline timelineCmd `cmd:"" help:"Add events to a report's timeline from pasted text, a Slack export or the incident's alerts."`
	Lint     lintCmd     `cmd:"" help:"Check Markdown postmortems for blaming language, personal identifiers and gaps."`
	Actions  actionsCmd  `cmd:"" help:"List action items and move them through their lifecycle."`
	Redact   redactCmd   `cmd:"" help:"Write a copy of a Markdown postmortem with people's names and contact details replaced by roles."`
	Version  versionCmd  `cmd:"" help:"Print the version."`
}

// env is what every command gets: where to write and how to reach the store.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	logger *slog.Logger
	dsn    string
	// server and token, when server is set, make the report commands
	// work on that server through its API.
	server string
	token  string
	// policyFile is the trigger policy's file, or "" for the default.
	policyFile string
}

// reportSource is what list, show, export and search read: the local store
// or a server's API.
type reportSource interface {
	Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error)
	Postmortems(
		ctx context.Context,
		f debrief.PostmortemFilter,
	) ([]debrief.PostmortemSummary, int, error)
	Search(ctx context.Context, q debrief.SearchQuery) (*debrief.SearchResult, error)
}

// reports opens the server named by --server, or else the database. The
// caller calls done when finished.
func (e *env) reports() (src reportSource, done func(), err error) {
	if e.server != "" {
		c, err := e.client()
		return c, func() {}, err
	}
	if err := e.needDatabase(); err != nil {
		return nil, nil, err
	}
	store, err := e.openStore()
	if err != nil {
		return nil, nil, err
	}
	return store, func() { store.Close() }, nil
}

// needDatabase refuses to read a SQLite file that does not exist: opening
// it would create an empty database, and the command would print nothing
// as if all were well. Serve, import and user add create it on purpose.
func (e *env) needDatabase() error {
	path, ok := sqliteFile(e.dsn)
	if !ok {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return debrief.Errorf(debrief.KindNotFound,
			"no database at %s: import reports first or pass --db", e.dsn)
	}
	return nil
}

// sqliteFile returns the file a --db value names, when it names a SQLite
// file: a path or a file: URI, not a postgres:// URL or memory.
func sqliteFile(dsn string) (string, bool) {
	if strings.Contains(dsn, "://") {
		return "", false
	}
	path := dsn
	if rest, ok := strings.CutPrefix(dsn, "file:"); ok {
		path, _, _ = strings.Cut(rest, "?")
	}
	if path == "" || path == ":memory:" || strings.Contains(dsn, "mode=memory") {
		return "", false
	}
	return path, true
}

// localOnly refuses a command that manages the local database (people and
// tokens) when --server names a server, where those are managed otherwise:
// reading the local file instead would say nothing of the server's.
func (e *env) localOnly(cmd, onServer string) error {
	if e.server == "" {
		return nil
	}
	return usageError{fmt.Sprintf("debrief %s works on the local database (--db) only, "+
		"and --server (or DEBRIEF_SERVER) names %s: on a server, %s. Leave out --server "+
		"and DEBRIEF_SERVER to work on the local database", cmd, e.server, onServer)}
}

// client returns the API client of --server.
func (e *env) client() (*client.Client, error) {
	if e.token == "" {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"--server needs an API token: set DEBRIEF_TOKEN "+
				"(debrief token create makes one)")
	}
	return client.New(e.server, e.token)
}

// openStore opens the database named by --db, creating and migrating it
// when needed.
func (e *env) openStore() (*sqlstore.DB, error) {
	return sqlstore.Open(e.ctx, e.dsn, sqlstore.WithLogger(e.logger))
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line with the process's standard input.
func run(args []string, stdout, stderr io.Writer) int {
	return runWithInput(args, os.Stdin, stdout, stderr)
}

// runWithInput runs the command line, reading standard input (a password
// piped to user add) from stdin.
func runWithInput(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var c cli
	parser, err := kong.New(&c,
		kong.Name("debrief"),
		kong.Description("Blameless postmortems: from incident to verified fix, "+
			"and the knowledge they grow into."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitPanic(code)) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		kong.Vars{"roles": roles},
	)
	if err != nil {
		fmt.Fprintln(stderr, "debrief:", err)
		return exitFailure
	}
	kctx, code, done := parseArgs(parser, args, stderr)
	if done {
		return code
	}

	if c.DB == "" && c.Server == "" {
		fmt.Fprintln(stderr, "debrief: --db (or DEBRIEF_DB) is empty; "+
			"give a SQLite file or a postgres:// URL")
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr,
		dsn: c.DB, logger: newLogger(stderr), server: c.Server, token: c.APIToken,
		policyFile: c.PolicyFile}
	if err := kctx.Run(e); err != nil {
		return report(stderr, err)
	}
	return exitOK
}

// exitPanic carries kong's exit code (after --help, or a usage error) out of
// the parser without calling os.Exit, so run stays testable.
type exitPanic int

// parseArgs parses the command line. done reports whether run should return
// code straight away: after --help, or on a usage error.
func parseArgs(
	parser *kong.Kong,
	args []string,
	stderr io.Writer,
) (kctx *kong.Context, code int, done bool) {
	defer func() {
		if r := recover(); r != nil {
			p, ok := r.(exitPanic)
			if !ok {
				panic(r)
			}
			kctx, code, done = nil, int(p), true
			if code != 0 {
				code = exitUsage
			}
		}
	}()
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "debrief: %v\n(see debrief --help)\n", err)
		return nil, exitUsage, true
	}
	return kctx, exitOK, false
}

// failedError marks a command that already told the user what failed (for
// example the files of an import); run only sets the exit code.
type failedError struct{ msg string }

func (e failedError) Error() string { return e.msg }

// usageError is a command that cannot run as it was asked: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func report(stderr io.Writer, err error) int {
	var usage usageError
	if errors.As(err, &usage) {
		fmt.Fprintln(stderr, "debrief:", usage.msg)
		return exitUsage
	}
	var f failedError
	if errors.As(err, &f) {
		if f.msg != "" {
			fmt.Fprintln(stderr, "debrief:", f.msg)
		}
		return exitFailure
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "debrief: interrupted")
		return exitFailure
	}
	var de *debrief.Error
	if errors.As(err, &de) {
		fmt.Fprintln(stderr, "debrief:", de.Error())
		return exitFailure
	}
	fmt.Fprintln(stderr, "debrief:", err)
	return exitFailure
}

func newLogger(w io.Writer) *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("DEBRIEF_DEBUG") != "" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

type versionCmd struct{}

func (versionCmd) Run(e *env) error {
	fmt.Fprintln(e.stdout, "debrief", version())
	return nil
}

// version is the module version the binary was built from, or the VCS
// revision for a build from a checkout.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
