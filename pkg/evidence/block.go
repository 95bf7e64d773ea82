package evidence

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// The markers around a block: "<!-- evidence:NAME -->" opens it and
// "<!-- /evidence:NAME -->" closes it, each on a line of its own.
const (
	openMark  = "<!-- evidence:"
	closeMark = "<!-- /evidence:"
	endMark   = " -->"
)

// Block is one generated part of a document.
type Block struct {
	// Name is the block's name, as its markers spell it.
	Name string
	// Line is the line of the opening marker, from 1.
	Line int
	// Text is everything between the markers: whole lines, each ending in
	// a newline.
	Text string
	// start and end are the byte offsets of Text in the document.
	start, end int
}

// Blocks returns the blocks of doc in document order. A marker that is
// malformed, unclosed, closed under another name, nested or repeated is an
// error naming its line.
func Blocks(doc []byte) ([]Block, error) {
	var out []Block
	var open *Block
	offset := 0
	for i, line := range strings.SplitAfter(string(doc), "\n") {
		n := i + 1
		next := offset + len(line)
		name, closing, ok, err := marker(strings.TrimRight(line, "\r\n"))
		switch {
		case err != nil:
			return nil, fmt.Errorf("line %d: %w", n, err)
		case !ok:
		case !closing && open != nil:
			return nil, fmt.Errorf("line %d: block %q opens inside block %q (line %d)", n, name, open.Name, open.Line)
		case !closing:
			if slices.ContainsFunc(out, func(b Block) bool { return b.Name == name }) {
				return nil, fmt.Errorf("line %d: block %q appears twice", n, name)
			}
			open = &Block{Name: name, Line: n, start: next}
		case open == nil:
			return nil, fmt.Errorf("line %d: block %q closes but was never opened", n, name)
		case name != open.Name:
			return nil, fmt.Errorf("line %d: block %q closes where block %q (line %d) is open", n, name, open.Name, open.Line)
		default:
			open.end = offset
			open.Text = string(doc[open.start:open.end])
			out = append(out, *open)
			open = nil
		}
		offset = next
	}
	if open != nil {
		return nil, fmt.Errorf("line %d: block %q is never closed", open.Line, open.Name)
	}
	return out, nil
}

// marker reads line as a block marker: ok is false for any other line.
func marker(line string) (name string, closing, ok bool, err error) {
	rest, isOpen := strings.CutPrefix(line, openMark)
	if !isOpen {
		if rest, closing = strings.CutPrefix(line, closeMark); !closing {
			return "", false, false, nil
		}
	}
	name, found := strings.CutSuffix(rest, endMark)
	if !found || name == "" || strings.ContainsAny(name, " \t<>") {
		return "", false, false, fmt.Errorf("malformed evidence marker %q: want %sNAME%s or %sNAME%s", line, openMark, endMark, closeMark, endMark)
	}
	return name, closing, true, nil
}

// Replace returns doc with the text of each of its blocks replaced by
// texts[name]. A block of doc without a text, or a text without a block,
// is an error: the document and the renderer disagree on what is
// generated.
func Replace(doc []byte, texts map[string]string) ([]byte, error) {
	blocks, err := Blocks(doc)
	if err != nil {
		return nil, err
	}
	if err := sameNames(blocks, texts); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	last := 0
	for _, b := range blocks {
		out.Write(doc[last:b.start])
		out.WriteString(texts[b.Name])
		last = b.end
	}
	out.Write(doc[last:])
	return out.Bytes(), nil
}

// sameNames checks that blocks and texts name the same blocks.
func sameNames(blocks []Block, texts map[string]string) error {
	for _, b := range blocks {
		if _, ok := texts[b.Name]; !ok {
			return fmt.Errorf("line %d: block %q: nothing renders it", b.Line, b.Name)
		}
	}
	for _, name := range sortedKeys(texts) {
		if !slices.ContainsFunc(blocks, func(b Block) bool { return b.Name == name }) {
			return fmt.Errorf("block %q is rendered but the document has no such block", name)
		}
	}
	return nil
}

// StaleError lists the blocks of a document whose text is not what the
// evidence renders.
type StaleError struct {
	// Blocks are the stale blocks, with the text the document holds.
	Blocks []Block
	// Want is the rendered text of each stale block, by name.
	Want map[string]string
}

func (e *StaleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d evidence block(s) stale:", len(e.Blocks))
	for _, s := range e.Blocks {
		fmt.Fprintf(&b, "\nblock %q (line %d): %s", s.Name, s.Line, firstDifference(s.Text, e.Want[s.Name]))
	}
	return b.String()
}

// firstDifference describes the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("its line %d reads %q, the evidence gives %q", i+1, gl, wl)
		}
	}
	return "differs"
}

// Check returns a *StaleError when a block of doc differs from texts, and
// an error when doc and texts do not name the same blocks.
func Check(doc []byte, texts map[string]string) error {
	blocks, err := Blocks(doc)
	if err != nil {
		return err
	}
	if err := sameNames(blocks, texts); err != nil {
		return err
	}
	stale := &StaleError{Want: map[string]string{}}
	for _, b := range blocks {
		if b.Text != texts[b.Name] {
			stale.Blocks = append(stale.Blocks, b)
			stale.Want[b.Name] = texts[b.Name]
		}
	}
	if len(stale.Blocks) > 0 {
		return stale
	}
	return nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
