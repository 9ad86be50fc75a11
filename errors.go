package debrief

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it. The HTTP layer
// maps kinds to status codes in one table; the CLI maps them to exit codes.
type Kind int

// The error kinds debrief distinguishes.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindUnauthorized
	KindForbidden
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindUnauthorized:
		return "unauthorized"
	case KindForbidden:
		return "forbidden"
	}
	return "internal"
}

// Error is an error with a kind and a message that is safe to show to the user.
// Err, when set, is the underlying cause and is never shown to clients.
type Error struct {
	Kind    Kind
	Message string
	// Field names the input at fault, as a dotted path in the JSON shape
	// ("summary.executive_summary", "timeline[3].at"), when one is.
	Field string
	Err   error
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message != "" {
		return e.Message + ": " + e.Err.Error()
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of the given kind with a formatted, user-safe message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind reports the kind of err: the kind of the first *Error in its
// chain, or KindInternal when there is none.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrorMessage returns the user-safe message of err, or a generic one when
// err carries none, so that internal details never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// ErrStaleVersion is the cause of the KindConflict error a store returns
// when a save names a version that is no longer the stored one.
var ErrStaleVersion = errors.New("stale version")

// FieldErrorf returns a KindInvalid *Error about the named input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorField returns the field the first *Error in err's chain names, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// IsNotFound reports whether err means that the thing asked for does not exist.
func IsNotFound(err error) bool { return ErrorKind(err) == KindNotFound }
