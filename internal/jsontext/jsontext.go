// Package jsontext describes JSON a person sent, for the messages that
// refuse it: where in the text a problem is, which JSON type a field
// wants, where the text stops being UTF-8. The API's report decoder and
// the webhook parsers share it, so both say it the same way.
package jsontext

import (
	"bytes"
	"encoding/json"
	"reflect"
	"unicode/utf8"
)

// Position turns a byte offset into a 1-based line and column, the column
// counted in characters, which is how a person finds the place in an
// editor. An offset past the end is the end.
func Position(data []byte, offset int) (line, col int) {
	offset = max(0, min(offset, len(data)))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// InvalidUTF8 returns the offset of the first byte that is not part of a
// UTF-8 character, or -1 when data is valid UTF-8.
func InvalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

// TypeWord names the JSON a Go type is read from, as a person would have
// to send it: "a string", "a number", "an object".
func TypeWord(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[json.Number]() {
		return "a number"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a value of another type"
}
