package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// Records is what Decide reads of the reports already stored. A
// debrief.PostmortemStore is one; a server passes one that reads as the
// person importing.
type Records interface {
	Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error)
	PostmortemIDBySource(ctx context.Context, sourcePath string) (string, error)
	PostmortemIDExists(ctx context.Context, id string) (bool, error)
}

// Decision is what importing one document does to the stored reports.
type Decision struct {
	// Outcome is Created, Updated or Unchanged.
	Outcome Outcome
	// Postmortem is the document's report made ready to write: its ID
	// chosen, where it came from recorded, and, over a stored report, the
	// version it replaces.
	Postmortem *debrief.Postmortem
	// Stored is the report as stored before the import; nil when the
	// outcome is Created.
	Stored *debrief.Postmortem
	// Restore is set for debrief's own export of a report the store lacks:
	// it is written exactly as exported, version and times too, so that an
	// export moved to another store reads back the same.
	Restore bool
}

// Decide decides what importing a parsed document does, reading the
// stored reports from records. debrief's own export is matched to its
// report by id, and refused (KindConflict) when that report changed after
// the export was written. Any other document is matched by key, the
// Document.Key it was read from, and a new one gets an ID made from the
// key's file name. A document that says what is stored is Unchanged.
// digest is Digest of the document's bytes.
//
// Decide fills in doc.Postmortem, which the Decision holds. A document that
// cannot be imported is a KindInvalid or KindConflict error; any other
// error is one records returned.
func Decide(
	ctx context.Context,
	records Records,
	doc *markdown.Result,
	key, digest string,
) (Decision, error) {
	if doc.Native {
		return decideNative(ctx, records, doc.Postmortem)
	}
	return decideForeign(ctx, records, doc.Postmortem, key, digest)
}

// Digest is the fingerprint of a document's bytes by which an unchanged
// document is known without comparing what it says.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// decideForeign decides on a report read from someone else's Markdown. Its
// record is found again by where it came from.
func decideForeign(
	ctx context.Context,
	records Records,
	pm *debrief.Postmortem,
	key, digest string,
) (Decision, error) {
	d := Decision{Postmortem: pm}
	pm.Source.Path, pm.Source.Digest = key, digest
	id, err := records.PostmortemIDBySource(ctx, key)
	switch {
	case debrief.IsNotFound(err):
		if pm.ID, err = newID(ctx, records, key, pm.Title); err != nil {
			return d, err
		}
		if pm.Incident.ID == "" {
			pm.Incident.ID = pm.ID
		}
		d.Outcome = Created
		return d, nil
	case err != nil:
		return d, err
	}
	stored, err := records.Postmortem(ctx, id)
	if err != nil {
		return d, err
	}
	d.Stored, pm.ID = stored, id
	if pm.Incident.ID == "" {
		pm.Incident.ID = d.Stored.Incident.ID
	}
	if d.Stored.Source.Digest == digest {
		d.Outcome = Unchanged
		return d, nil
	}
	pm.Version, pm.CreatedAt = d.Stored.Version, d.Stored.CreatedAt
	d.Outcome = Updated
	return d, nil
}

// decideNative decides on a report from debrief's own export. Into a store
// that lacks it, it is restored exactly; over a stored copy that differs,
// it is saved as a new version.
func decideNative(
	ctx context.Context,
	records Records,
	pm *debrief.Postmortem,
) (Decision, error) {
	d := Decision{Postmortem: pm}
	if pm.ID == "" {
		return d, debrief.Errorf(debrief.KindInvalid, "the front matter has no id")
	}
	stored, err := records.Postmortem(ctx, pm.ID)
	switch {
	case debrief.IsNotFound(err):
		d.Outcome, d.Restore = Created, true
		return d, nil
	case err != nil:
		return d, err
	}
	d.Stored = stored
	if SameContent(d.Stored, pm) {
		d.Outcome = Unchanged
		return d, nil
	}
	if pm.Version != d.Stored.Version {
		return d, debrief.Errorf(debrief.KindConflict,
			"report %s changed after this file was exported (the file is at version %d, "+
				"the stored report at %d); export it again and redo the edit there",
			pm.ID, pm.Version, d.Stored.Version)
	}
	// The file names who saved the exported version; this save is the
	// importer's, which the caller records.
	pm.UpdatedBy = ""
	d.Outcome = Updated
	return d, nil
}

// SameContent reports whether two reports say the same, ignoring the
// bookkeeping a save changes: the version, when and by whom it was saved.
func SameContent(a, b *debrief.Postmortem) bool {
	x, y := *a, *b
	x.Version, y.Version = 0, 0
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	x.UpdatedBy, y.UpdatedBy = "", ""
	xj, errX := json.Marshal(&x)
	yj, errY := json.Marshal(&y)
	return errX == nil && errY == nil && bytes.Equal(xj, yj)
}
