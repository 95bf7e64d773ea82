package scaledobject

import (
	"errors"
	"fmt"

	"github.com/prescale-dev/prescale/pkg/field"
)

// Sentinel errors; callers test for them with errors.Is. Every error about
// one field is a *field.Error naming the file, the line and the field's
// path, whose cause wraps ErrInvalid or ErrNotSupported.
var (
	// ErrNotFound reports a file without a ScaledObject, or without one of
	// the name asked for.
	ErrNotFound = errors.New("no ScaledObject")
	// ErrAmbiguous reports a file of several ScaledObjects read without a
	// name to choose one.
	ErrAmbiguous = errors.New("several ScaledObjects: choose one by name")
	// ErrInvalid reports a ScaledObject that does not decode, or that KEDA
	// or the API server would reject.
	ErrInvalid = errors.New("invalid ScaledObject")
	// ErrNotSupported reports a valid ScaledObject using something the
	// simulator does not model.
	ErrNotSupported = errors.New("not supported by the simulator")
)

// problem is what is wrong with one value: kind is ErrInvalid or
// ErrNotSupported, cause the message and its own causes.
type problem struct {
	kind  error
	cause error
}

func (p *problem) Error() string { return p.cause.Error() }

// Unwrap returns the sentinel and the cause.
func (p *problem) Unwrap() []error { return []error{p.kind, p.cause} }

// problems collects the errors of one document, each located by its path.
type problems struct {
	doc  *Document
	errs []error
}

// invalid records that the value at path is invalid; format and args make
// the message, as fmt.Errorf (%w allowed).
func (p *problems) invalid(path, format string, args ...any) {
	p.add(ErrInvalid, path, fmt.Errorf(format, args...))
}

// unsupported records that the value at path is valid but not modelled.
func (p *problems) unsupported(path, format string, args ...any) {
	p.add(ErrNotSupported, path, fmt.Errorf(format+": "+ErrNotSupported.Error(), args...))
}

// invalidLine is invalid for a value whose line is known better than its
// path's (a duplicate key).
func (p *problems) invalidLine(line int, path, format string, args ...any) {
	p.errs = append(p.errs, &field.Error{File: p.doc.File, Line: line, Field: path,
		Err: &problem{kind: ErrInvalid, cause: fmt.Errorf(format, args...)}})
}

func (p *problems) add(kind error, path string, cause error) {
	p.errs = append(p.errs, p.doc.errorAt(path, &problem{kind: kind, cause: cause}))
}

// err returns the problems joined, or nil.
func (p *problems) err() error { return errors.Join(p.errs...) }

// errorAt locates err at path in d's file.
func (d *Document) errorAt(path string, err error) error {
	return &field.Error{File: d.File, Line: d.Line(path), Field: path, Err: err}
}
