package slack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/debrief-oss/debrief"
)

// The JSON shapes of an export. Fields the reader relies on have their Go
// types, so a wrong type is an error; fields only shown to people are
// looseText, which takes what it can; the many other fields are not
// declared and so never fail a read (channels.json "created" is a number
// in Slack's exports and a string in others).

type wireChannel struct {
	ID   string    `json:"id"`
	Name looseText `json:"name"`
}

type wireUser struct {
	ID       string    `json:"id"`
	Name     looseText `json:"name"`
	RealName looseText `json:"real_name"`
	TZ       looseText `json:"tz"`
	Deleted  bool      `json:"deleted"`
	IsBot    bool      `json:"is_bot"`
	Profile  struct {
		RealName    looseText `json:"real_name"`
		DisplayName looseText `json:"display_name"`
	} `json:"profile"`
}

type wireMessage struct {
	TS       string `json:"ts"`
	ThreadTS string `json:"thread_ts"`
	Subtype  string `json:"subtype"`
	User     string `json:"user"`
	BotID    string `json:"bot_id"`
	Text     string `json:"text"`
	Hidden   bool   `json:"hidden"`
	// Edited is an object in Slack's exports; only its presence matters.
	Edited     json.RawMessage `json:"edited"`
	Username   looseText       `json:"username"`
	BotProfile struct {
		Name looseText `json:"name"`
	} `json:"bot_profile"`
	// UserProfile is the author's profile as it was when they wrote; it
	// names people that users.json no longer lists.
	UserProfile struct {
		Name        looseText `json:"name"`
		RealName    looseText `json:"real_name"`
		DisplayName looseText `json:"display_name"`
	} `json:"user_profile"`
	Files       []wireFile       `json:"files"`
	Attachments []wireAttachment `json:"attachments"`
}

type wireFile struct {
	Name  looseText `json:"name"`
	Title looseText `json:"title"`
	ID    looseText `json:"id"`
}

// wireAttachment is a legacy attachment, in which integrations such as
// alerting tools often put their whole message.
type wireAttachment struct {
	Fallback looseText `json:"fallback"`
	Pretext  looseText `json:"pretext"`
	Title    looseText `json:"title"`
	Text     looseText `json:"text"`
}

// looseText is a string that also accepts other JSON values, as empty
// text: a name that is a number or an object is not worth refusing an
// export for.
type looseText string

func (t *looseText) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		*t = looseText(s)
	}
	return nil
}

// decodeList decodes the JSON list in data element by element, so that an
// error names the line of the element at fault: "users.json: line 12: …".
// A file holding null is an empty list.
func decodeList[T any](name string, data []byte, each func(*T) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(name, data, err)
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fileErrorf(name, data, 0, "want a JSON list")
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return syntaxError(name, data, err)
		}
		start := dec.InputOffset() - int64(len(raw))
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return typeError(name, data, start, err)
		}
		if err := each(&v); err != nil {
			return fileErrorf(name, data, start, "%s", err.Error())
		}
	}
	if _, err := dec.Token(); err != nil {
		return syntaxError(name, data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fileErrorf(name, data, dec.InputOffset(), "more text after the JSON list")
	}
	return nil
}

func syntaxError(name string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fileErrorf(name, data, se.Offset, "not valid JSON: %s", se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fileErrorf(name, data, int64(len(data)), "the JSON ends early")
	}
	return fileErrorf(name, data, 0, "not valid JSON")
}

// typeError explains a value of the wrong type in the element at start.
func typeError(name string, data []byte, start int64, err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return syntaxError(name, data, err)
	}
	field := te.Field
	if field == "" {
		field = "the entry"
	}
	return fileErrorf(name, data, start+te.Offset, "%s: want %s, got %s",
		field, jsonType(te.Type), te.Value)
}

// jsonType names a Go type as the JSON value it reads.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a " + t.Kind().String()
}

// fileErrorf returns an invalid-input error naming the file and the line
// holding data[offset].
func fileErrorf(name string, data []byte, offset int64, format string, args ...any) error {
	offset = min(max(offset, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:offset], []byte("\n"))
	return debrief.Errorf(debrief.KindInvalid, "%s: line %d: %s",
		quoteName(name), line, fmt.Sprintf(format, args...))
}
