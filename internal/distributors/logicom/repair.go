package logicom

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// repairJSON turns the loose JSON of Logicom's documented examples into
// valid JSON. It runs only on a body that json.Valid rejects, so a well-formed
// answer is never touched. It handles what the seed's example responses
// show (logicom-rest-api.txt):
//   - typographic quotes around keys (“Name”);
//   - bare keys (OrderHeader {) and a key missing its opening quote
//     (Address":), a value missing its opening quote ("PaymentTerms":30Days");
//   - a missing colon ("Ecommerce" {);
//   - trailing, doubled or missing commas;
//   - a key/value pair inside an array ([ {...}, "VolumePrice": {...} ]),
//     where the key is dropped;
//   - raw line breaks inside strings (the PDF extract wraps them);
//   - a truncated document ("…......", the seed cuts long lists so):
//     punctuation-only words are dropped and open brackets closed, and
//     complete is false. A live answer that is cut off is broken, not
//     loose: decodeEnvelope refuses it.
//
// Commas of the input are ignored and re-emitted between elements, which
// fixes all comma mistakes at once.
func repairJSON(in []byte) (out []byte, complete bool) {
	toks, closedStrings := lexLoose(in)
	complete = closedStrings
	var buf bytes.Buffer
	buf.Grow(len(in) + 16)
	w := &buf
	type frame struct {
		obj      bool
		n        int  // elements emitted
		afterKey bool // object: key emitted, value pending
	}
	var stack []frame
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return &stack[len(stack)-1]
	}
	// beginValue writes the separator a new value needs in the current frame.
	beginValue := func() {
		f := top()
		if f == nil {
			return
		}
		if f.obj {
			if !f.afterKey { // value without key: invent one so the object stays valid
				if f.n > 0 {
					w.WriteByte(',')
				}
				w.WriteString(`"_":`)
				f.n++
			}
			f.afterKey = false
			return
		}
		if f.n > 0 {
			w.WriteByte(',')
		}
		f.n++
	}
	rootDone := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if rootDone {
			break
		}
		f := top()
		switch t.kind {
		case tokComma, tokColon:
			continue
		case tokClose:
			if f == nil {
				continue
			}
			if f.obj && f.afterKey {
				w.WriteString("null")
			}
			if f.obj {
				w.WriteByte('}')
			} else {
				w.WriteByte(']')
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootDone = true
			}
			continue
		}
		// A string or word followed by a colon is a key.
		isKey := (t.kind == tokString || t.kind == tokWord) && i+1 < len(toks) && toks[i+1].kind == tokColon
		// In an object expecting a key, a string or word is a key even
		// without a colon ("Ecommerce" {).
		if f != nil && f.obj && !f.afterKey && (t.kind == tokString || t.kind == tokWord) {
			isKey = true
		}
		if isKey {
			if f == nil || !f.obj {
				continue // key inside an array or at the top: drop it
			}
			if f.afterKey { // previous key had no value
				w.WriteString("null")
				f.afterKey = false
			}
			if f.n > 0 {
				w.WriteByte(',')
			}
			f.n++
			writeJSONString(w, t.text)
			w.WriteByte(':')
			f.afterKey = true
			continue
		}
		switch t.kind {
		case tokOpen:
			beginValue()
			if t.text == "{" {
				w.WriteByte('{')
				stack = append(stack, frame{obj: true})
			} else {
				w.WriteByte('[')
				stack = append(stack, frame{})
			}
		case tokString:
			beginValue()
			writeJSONString(w, t.text)
		case tokWord:
			beginValue()
			if json.Valid([]byte(t.text)) {
				w.WriteString(t.text)
			} else {
				writeJSONString(w, t.text)
			}
		}
		if len(stack) == 0 {
			rootDone = true
		}
	}
	if len(stack) > 0 {
		complete = false
	}
	for len(stack) > 0 {
		f := top()
		if f.obj {
			if f.afterKey {
				w.WriteString("null")
			}
			w.WriteByte('}')
		} else {
			w.WriteByte(']')
		}
		stack = stack[:len(stack)-1]
	}
	return buf.Bytes(), complete
}

type tokKind int

const (
	tokOpen tokKind = iota
	tokClose
	tokComma
	tokColon
	tokString // text is the decoded content
	tokWord   // bare word: number, literal or unquoted text
)

type looseTok struct {
	kind tokKind
	text string
}

func isSmartQuote(r rune) bool { return r == '“' || r == '”' || r == '„' }

// lexLoose splits loose JSON into tokens.
// closed is false when a string runs to the end of the input.
func lexLoose(in []byte) (toks []looseTok, closed bool) {
	closed = true
	for i := 0; i < len(in); {
		r, size := utf8.DecodeRune(in[i:])
		switch {
		case unicode.IsSpace(r) || r == '\uFEFF':
			i += size
		case r == '{' || r == '[':
			toks = append(toks, looseTok{tokOpen, string(r)})
			i += size
		case r == '}' || r == ']':
			toks = append(toks, looseTok{tokClose, string(r)})
			i += size
		case r == ',':
			toks = append(toks, looseTok{tokComma, ","})
			i += size
		case r == ':':
			toks = append(toks, looseTok{tokColon, ":"})
			i += size
		case r == '"' || isSmartQuote(r):
			smart := r != '"'
			i += size
			var sb strings.Builder
			terminated := false
			for i < len(in) {
				c, n := utf8.DecodeRune(in[i:])
				if c == '\\' && i+n < len(in) {
					// keep JSON escapes: decode them through encoding/json
					e, m := utf8.DecodeRune(in[i+n:])
					var s string
					if e == 'u' && i+n+5 <= len(in) {
						if err := json.Unmarshal([]byte(`"\u`+string(in[i+n+1:i+n+5])+`"`), &s); err == nil {
							sb.WriteString(s)
							i += n + 5
							continue
						}
					}
					if err := json.Unmarshal([]byte(`"\`+string(e)+`"`), &s); err == nil {
						sb.WriteString(s)
					} else {
						sb.WriteRune(e)
					}
					i += n + m
					continue
				}
				i += n
				if c == '"' || (smart && isSmartQuote(c)) {
					terminated = true
					break
				}
				if c == '\n' || c == '\r' || c == '\t' {
					c = ' '
				}
				sb.WriteRune(c)
			}
			closed = closed && terminated
			toks = append(toks, looseTok{tokString, collapseSpaces(sb.String())})
		default:
			start := i
			for i < len(in) {
				c, n := utf8.DecodeRune(in[i:])
				if unicode.IsSpace(c) || strings.ContainsRune("{}[],:", c) {
					break
				}
				if c == '"' || isSmartQuote(c) {
					break
				}
				i += n
			}
			word := string(in[start:i])
			if i < len(in) {
				// a stray closing quote ends the word: 30Days" or Address":
				if c, n := utf8.DecodeRune(in[i:]); c == '"' || isSmartQuote(c) {
					i += n
				}
			}
			if !strings.ContainsFunc(word, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
				continue // "…......" and other debris
			}
			toks = append(toks, looseTok{tokWord, word})
		}
	}
	return toks, closed
}

// collapseSpaces turns the runs of blanks a wrapped line leaves into one
// space, but keeps a string's own leading and trailing blanks (keys like
// " IsESD " are normalised later).
func collapseSpaces(s string) string {
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func writeJSONString(out *bytes.Buffer, s string) {
	b, _ := json.Marshal(s)
	out.Write(b)
}
