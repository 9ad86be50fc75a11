package importer

import (
	"context"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

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
	if uuidName.MatchString(stem) && debrief.Slug(title) != "" {
		stem = title
	}
	base := debrief.Slug(stem)
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
