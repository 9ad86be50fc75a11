// Package slack reads Slack workspace exports: the folder or zip that
// Slack's export tool (and tools such as slackdump) write, with
// channels.json, users.json and one folder per channel of YYYY-MM-DD.json
// day files. It returns a channel's messages in time order with their
// threads resolved, and renders Slack's markup as plain text.
//
// The reader is strict about the fields it uses (a ts that is not a Slack
// timestamp is an error naming the file and line) and lenient about the
// rest, which differ between Slack's own exports and other tools.
package slack

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
)

// Limits on what an export may make the reader hold. An export is outside
// input: a zip could claim gigabytes that unpack from a few kilobytes.
// Only the JSON files count; uploaded files some tools add are never read.
var (
	maxFileSize  int64 = 64 << 20  // one JSON file, uncompressed
	maxTotalSize int64 = 512 << 20 // all JSON files of a zip, or read by one call
)

// Channel is a conversation of the export: a public channel from
// channels.json, a private one from groups.json, or a direct or group
// message from dms.json and mpims.json.
type Channel struct {
	ID   string
	Name string
	// folder holds the channel's day files: its name, or its ID for
	// direct messages, which have no name.
	folder string
}

// User is a member of the workspace as users.json gives it. Deleted
// users often have no zone and no profile.
type User struct {
	ID          string
	Name        string // the handle, such as "alice"
	RealName    string
	DisplayName string
	TZ          string
	Deleted     bool
	IsBot       bool
}

// Label returns the name people know the user by: the display name, else
// the real name, else the handle; "" when the export gives none.
func (u User) Label() string {
	for _, s := range []string{u.DisplayName, u.RealName, u.Name} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// Export is an opened Slack export. Messages are read from it on demand,
// so an export opened from a path holds the file open until Close.
type Export struct {
	Channels []Channel
	// Users maps a user ID to the user.
	Users map[string]User

	fsys   fs.FS
	closer io.Closer
}

// Open opens the export at path, a folder or a .zip file. The export may
// sit inside one top folder, as zips made by hand often do. Close it when
// done.
func Open(path string) (*Export, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("slack: %w", err)
	}
	if info.IsDir() {
		// A root refuses symbolic links that lead out of the folder.
		root, err := os.OpenRoot(path)
		if err != nil {
			return nil, fmt.Errorf("slack: %w", err)
		}
		ex, err := Read(root.FS())
		if err != nil {
			root.Close()
			return nil, err
		}
		ex.closer = root
		return ex, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("slack: %w", err)
	}
	ex, err := ReadZip(f, info.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	ex.closer = f
	return ex, nil
}

// ReadZip reads an export from the zip archive r of the given size, such
// as an upload held in memory. It refuses entries whose names climb out
// of the archive ("../x") and archives whose JSON files would unpack to
// more than the reader's limits.
func ReadZip(r io.ReaderAt, size int64) (*Export, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, debrief.Errorf(debrief.KindInvalid, "the file is not a readable zip "+
			"archive (%v)", err)
	}
	if err := checkZip(zr); err != nil {
		return nil, err
	}
	return Read(zr)
}

// checkZip refuses unsafe entry names and JSON files past the limits, by
// the sizes the archive declares; reading stops at those sizes too.
func checkZip(zr *zip.Reader) error {
	var total int64
	for _, f := range zr.File {
		if !safeName(f.Name) {
			return debrief.Errorf(debrief.KindInvalid, "%s: the archive entry's name leads "+
				"out of the archive", quoteName(f.Name))
		}
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		size := f.UncompressedSize64
		if size > uint64(maxFileSize) {
			return debrief.Errorf(debrief.KindInvalid, "%s: %d MiB uncompressed; the limit "+
				"is %d MiB", quoteName(f.Name), size>>20, maxFileSize>>20)
		}
		total += int64(size)
		if total > maxTotalSize {
			return debrief.Errorf(debrief.KindInvalid, "the archive's JSON files unpack to "+
				"more than %d MiB", maxTotalSize>>20)
		}
	}
	return nil
}

// safeName reports whether a zip entry name stays inside the archive.
func safeName(name string) bool {
	name = strings.ReplaceAll(name, `\`, "/")
	if strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':' {
		return false
	}
	return !slices.Contains(strings.Split(name, "/"), "..")
}

// quoteName shows a name from the export in an error, cut if it is long.
func quoteName(name string) string {
	if len(name) > 80 {
		name = name[:80] + "…"
	}
	return strings.ToValidUTF8(name, "?")
}

// Read reads an export from fsys, whose root is the export or a folder
// holding only the export.
func Read(fsys fs.FS) (*Export, error) {
	fsys, err := exportRoot(fsys)
	if err != nil {
		return nil, err
	}
	ex := &Export{fsys: fsys, Users: map[string]User{}}
	budget := &budget{left: maxTotalSize}
	if err := ex.readChannels(budget); err != nil {
		return nil, err
	}
	if err := ex.readUsers(budget); err != nil {
		return nil, err
	}
	return ex, nil
}

// Close releases the file or folder an export opened with Open reads from.
func (e *Export) Close() error {
	if e.closer == nil {
		return nil
	}
	return e.closer.Close()
}

// listFiles name the conversations of an export; an export has at least one.
var listFiles = []string{"channels.json", "groups.json", "mpims.json", "dms.json"}

// exportRoot finds the folder of fsys that holds the export: the root, or
// the one folder at the root, as when a zip was made of the export folder.
func exportRoot(fsys fs.FS) (fs.FS, error) {
	if hasList(fsys) {
		return fsys, nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "the export cannot be listed (%v)", err)
	}
	var dirs []string
	for _, en := range entries {
		name := en.Name()
		if en.IsDir() && name != "__MACOSX" && !strings.HasPrefix(name, ".") {
			dirs = append(dirs, name)
		}
	}
	if len(dirs) == 1 {
		sub, err := fs.Sub(fsys, dirs[0])
		if err == nil && hasList(sub) {
			return sub, nil
		}
	}
	return nil, debrief.Errorf(debrief.KindInvalid, "this is not a Slack export: there is no "+
		"channels.json at its top or in a single folder there")
}

func hasList(fsys fs.FS) bool {
	for _, name := range listFiles {
		if info, err := fs.Stat(fsys, name); err == nil && !info.IsDir() {
			return true
		}
	}
	return false
}

// readChannels reads the conversation lists that are present.
func (e *Export) readChannels(b *budget) error {
	seen := map[string]bool{}
	for _, list := range listFiles {
		data, err := b.read(e.fsys, list)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		err = decodeList(list, data, func(w *wireChannel) error {
			if w.ID == "" {
				return errors.New("a conversation without an id")
			}
			if seen[w.ID] {
				return nil // an export may list a channel twice; the first wins
			}
			seen[w.ID] = true
			c := Channel{ID: w.ID, Name: string(w.Name), folder: string(w.Name)}
			if c.Name == "" {
				c.Name, c.folder = w.ID, w.ID
			}
			e.Channels = append(e.Channels, c)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// readUsers reads users.json. An export without it still reads; messages
// then name people by the profile they carry, or by ID.
func (e *Export) readUsers(b *budget) error {
	data, err := b.read(e.fsys, "users.json")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return decodeList("users.json", data, func(w *wireUser) error {
		if w.ID == "" {
			return errors.New("a user without an id")
		}
		e.Users[w.ID] = User{
			ID: w.ID, Name: string(w.Name), RealName: firstOf(w.Profile.RealName, w.RealName),
			DisplayName: string(w.Profile.DisplayName), TZ: string(w.TZ),
			Deleted: w.Deleted, IsBot: w.IsBot,
		}
		return nil
	})
}

// DisplayName returns the label of the user with the given ID (see
// User.Label), or "" when the export does not know them.
func (e *Export) DisplayName(userID string) string {
	return e.Users[userID].Label()
}

// channel finds a channel by ID or name ("general" or "#general").
func (e *Export) channel(key string) (Channel, error) {
	key = strings.TrimSpace(key)
	for _, c := range e.Channels {
		if c.ID == key {
			return c, nil
		}
	}
	name := strings.TrimPrefix(key, "#")
	for _, c := range e.Channels {
		if strings.EqualFold(c.Name, name) {
			return c, nil
		}
	}
	names := make([]string, len(e.Channels))
	for i, c := range e.Channels {
		names[i] = c.Name
	}
	slices.Sort(names)
	if len(names) > 30 {
		names = append(names[:30], fmt.Sprintf("and %d more", len(names)-30))
	}
	return Channel{}, debrief.Errorf(debrief.KindInvalid, "the export has no channel %s; "+
		"it has: %s", quoteName(key), strings.Join(names, ", "))
}

// budget bounds the bytes one operation reads from an export.
type budget struct {
	left int64
}

// read reads one file, refusing one past the per-file limit or the budget.
func (b *budget) read(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		// Such as a symbolic link that leads out of the export's folder.
		return nil, &debrief.Error{Kind: debrief.KindInvalid, Err: err,
			Message: quoteName(name) + ": cannot be opened"}
	}
	defer f.Close()
	limit := min(maxFileSize, b.left)
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: cannot be read (%v)",
			quoteName(name), err)
	}
	if int64(len(data)) > limit {
		if limit == b.left && b.left < maxFileSize {
			return nil, debrief.Errorf(debrief.KindInvalid, "%s: the export's files add up "+
				"to more than %d MiB", quoteName(name), maxTotalSize>>20)
		}
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: larger than %d MiB",
			quoteName(name), maxFileSize>>20)
	}
	b.left -= int64(len(data))
	return data, nil
}

// dayFile reports whether name is a day file, "2024-01-15.json".
func dayFile(name string) bool {
	if len(name) != len("2006-01-02.json") || path.Ext(name) != ".json" {
		return false
	}
	for i, c := range name[:10] {
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func firstOf(values ...looseText) string {
	for _, v := range values {
		if s := strings.TrimSpace(string(v)); s != "" {
			return s
		}
	}
	return ""
}
