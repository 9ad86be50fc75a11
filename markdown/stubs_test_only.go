package markdown

import "github.com/debrief-oss/debrief"

// Placeholders until the reader and the exporter land; replaced by their files.
func parseReport(doc Document, front map[string]any, body []byte, bodyLine int) (*Result, error) {
	return nil, debrief.Errorf(debrief.KindInternal, "not implemented")
}
