package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/jsontext"
)

// DecodeReport reads a whole report in its JSON shape, refusing unknown
// fields, so that a misspelt field is an error instead of a silent loss.
// The source is debrief's own record of where a report came from: one a
// client sends is dropped, so a write through the API is always a
// person's, never taken for an import.
func DecodeReport(data []byte) (*debrief.Postmortem, error) {
	var p debrief.Postmortem
	if err := decodeStrict(data, &p); err != nil {
		return nil, err
	}
	p.Source = debrief.Source{}
	return &p, nil
}

// decodeStrict decodes exactly one JSON value into v. Its errors are
// KindInvalid and say where the input is wrong: the field for a value of
// the wrong type or an unknown field, the line and column for bad syntax
// or for bytes that are not UTF-8 (which encoding/json would otherwise
// silently turn into U+FFFD).
func decodeStrict(data []byte, v any) error {
	if err := CheckUTF8(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return debrief.Errorf(debrief.KindInvalid,
			"the body holds more than one JSON value")
	}
	return nil
}

func jsonError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return debrief.Errorf(debrief.KindInvalid, "the body is empty: send a JSON object")
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the offending one included.
		line, col := jsontext.Position(data, int(syntax.Offset)-1)
		return debrief.Errorf(debrief.KindInvalid,
			"the JSON is malformed at line %d, column %d: %s", line, col, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return debrief.Errorf(debrief.KindInvalid,
				"the body must be a JSON object, not %s", typ.Value)
		}
		return debrief.FieldErrorf(field, "%s must be %s, not %s",
			field, jsontext.TypeWord(typ.Type), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return debrief.Errorf(debrief.KindInvalid, "the JSON ends too early")
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return debrief.FieldErrorf(name, "unknown field %q", name)
	}
	// Errors from a field's own UnmarshalJSON, such as a malformed time.
	return debrief.Errorf(debrief.KindInvalid, "the JSON does not fit: %s",
		strings.TrimPrefix(msg, "json: "))
}

// CheckUTF8 refuses a request body that is not valid UTF-8, naming the line
// and column of the first byte at fault.
func CheckUTF8(data []byte) error {
	offset := jsontext.InvalidUTF8(data)
	if offset < 0 {
		return nil
	}
	line, col := jsontext.Position(data, offset)
	return debrief.Errorf(debrief.KindInvalid, "the body is not valid UTF-8: byte 0x%02x "+
		"at line %d, column %d; send the text encoded as UTF-8", data[offset], line, col)
}
