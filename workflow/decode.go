package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
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
		line, col := position(data, max(syntax.Offset-1, 0))
		return debrief.Errorf(debrief.KindInvalid,
			"the JSON is malformed at line %d, column %d: %s", line, col, syntax.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return debrief.Errorf(debrief.KindInvalid,
				"the body must be a JSON object, not %s", typ.Value)
		}
		return debrief.FieldErrorf(field, "%s must be %s, not %s",
			field, typeName(typ.Type), typ.Value)
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

// typeName says which JSON type a Go type reads from.
func typeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another type"
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// CheckUTF8 refuses a request body that is not valid UTF-8, naming the line
// and column of the first byte at fault.
func CheckUTF8(data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	offset := 0
	for offset < len(data) {
		r, size := utf8.DecodeRune(data[offset:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		offset += size
	}
	line, col := position(data, int64(offset))
	return debrief.Errorf(debrief.KindInvalid, "the body is not valid UTF-8: byte 0x%02x "+
		"at line %d, column %d; send the text encoded as UTF-8", data[offset], line, col)
}
