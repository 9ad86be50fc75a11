package jsontext

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestPosition(t *testing.T) {
	data := []byte("{\n  \"tïtle\": x\n}")
	tests := []struct{ offset, line, col int }{
		{0, 1, 1}, {2, 2, 1}, {13, 2, 11}, {99, 3, 2}, {-4, 1, 1},
	}
	for _, tt := range tests {
		if line, col := Position(data, tt.offset); line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d (columns count characters)",
				tt.offset, line, col, tt.line, tt.col)
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	if got := InvalidUTF8([]byte("naïve")); got != -1 {
		t.Errorf("valid text: %d", got)
	}
	if got := InvalidUTF8([]byte("ok\xffno")); got != 2 {
		t.Errorf("bad byte at 2: got %d", got)
	}
}

func TestTypeWord(t *testing.T) {
	var n *int
	tests := map[reflect.Type]string{
		reflect.TypeFor[string]():         "a string",
		reflect.TypeOf(n):                 "a number",
		reflect.TypeFor[json.Number]():    "a number",
		reflect.TypeFor[[]int]():          "an array",
		reflect.TypeFor[map[string]int](): "an object",
		reflect.TypeFor[bool]():           "true or false",
		nil:                               "a value",
	}
	for typ, want := range tests {
		if got := TypeWord(typ); got != want {
			t.Errorf("TypeWord(%v) = %q, want %q", typ, got, want)
		}
	}
}
