package importer

import (
	"context"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// maxSlugLength keeps IDs short enough to type and to use as file names.
const maxSlugLength = 60

// uuidName matches file names that are only a UUID, which say nothing to a
// reader typing "debrief show".
var uuidName = regexp.MustCompile(`^[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}$`)

// newID makes a readable, unused ID from the file name at the end of key:
// "PM2022-006 - ALB 502 errors.md" becomes "pm2022-006-alb-502-errors". A
// file named by a UUID is named by its title instead. When the ID is taken
// (two folders each hold a "template.md"), a number is added: "template-2".
// Both '/' and '\' end a folder's name, for a key that a client of the API
// wrote as a Windows path.
func newID(ctx context.Context, records Records, key, title string) (string, error) {
	name := key[strings.LastIndexAny(key, `/\`)+1:]
	stem := strings.TrimSuffix(name, path.Ext(name))
	if uuidName.MatchString(stem) && slug(title) != "" {
		stem = title
	}
	base := slug(stem)
	if base == "" {
		base = "postmortem"
	}
	for n := 1; ; n++ {
		id := base
		if n > 1 {
			id = base + "-" + strconv.Itoa(n)
		}
		taken, err := records.PostmortemIDExists(ctx, id)
		if err != nil || !taken {
			return id, err
		}
	}
}

// slug lowercases s, folds accents away and joins runs of letters and digits
// with single dashes, at most maxSlugLength bytes of them.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxSlugLength {
		// Cut between words, not inside one ("…-august-202").
		out = out[:maxSlugLength]
		if i := strings.LastIndexByte(out, '-'); i > maxSlugLength/2 {
			out = out[:i]
		}
	}
	return strings.Trim(out, "-")
}
