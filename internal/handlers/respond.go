package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/rs/zerolog"

	"github.com/quoteconnector/quoteconnector/internal/engine"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// requestError is a problem with the request itself; its message is shown.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// requestBody names the body itself where a 400 has no member to name.
const requestBody = "request body"

// decode reads the JSON body into v (protocol §1, §2): a missing or empty
// body is {}, the body is limited in size (413), malformed JSON, trailing
// data, wrong types and values outside an enum are 400s of the form
// "<member>: <why>".
func decode(r *http.Request, v any) error {
	buf, err := readBody(r.Body, r.ContentLength)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &requestError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("%s: larger than %d bytes", requestBody, tooBig.Limit)}
		}
		return badRequest("%s: cannot be read", requestBody)
	}
	// The decoded request holds copies of what it keeps (strings, kept raw
	// members), so the buffer is reused once decoding is done.
	defer putBuffer(&bodyBuffers, buf)
	body := bytes.TrimSpace(buf.Bytes())
	if len(body) == 0 || bytes.Equal(body, []byte("null")) {
		body = []byte("{}")
	}
	if body[0] != '{' {
		return badRequest("%s: must be a JSON object", requestBody)
	}
	if err := so.Unmarshal(body, v); err != nil {
		return describeJSONError(err, body)
	}
	return nil
}

// Request bodies go through pooled buffers: a 50 kB context read with
// io.ReadAll grew a fresh slice through a dozen copies on every call.
// Buffers that grew past maxPooled (a rare huge quote) are left to the
// collector rather than kept.
var bodyBuffers sync.Pool

const maxPooled = 256 << 10

func getBuffer(p *sync.Pool) *bytes.Buffer {
	if b, ok := p.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

func putBuffer(p *sync.Pool, b *bytes.Buffer) {
	if b.Cap() <= maxPooled {
		p.Put(b)
	}
}

// readBody reads the body into a pooled buffer, sized once from the
// Content-Length when there is one (at most maxPooled up front: the
// header is the client's word, the size limit is enforced while reading).
func readBody(body io.Reader, size int64) (*bytes.Buffer, error) {
	b := getBuffer(&bodyBuffers)
	if size > 0 {
		b.Grow(int(min(size, maxPooled)) + bytes.MinRead) // room to see EOF without growing
	}
	if _, err := b.ReadFrom(body); err != nil {
		putBuffer(&bodyBuffers, b)
		return nil, err
	}
	return b, nil
}

func describeJSONError(err error, body []byte) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(body, syn.Offset)
		member, after := memberAt(body)
		where := "at"
		if after {
			where = "after this member, at"
		}
		return badRequest("%s: malformed JSON %s line %d, column %d: %s", member, where, line, col, syn.Error())
	case errors.As(err, &typ):
		if member, why, ok := so.InvalidValue(typ); ok {
			return badRequest("%s: %s", orBody(member), why)
		}
		return badRequest("%s: expected %s, got JSON %s", orBody(typ.Field), jsonKind(typ.Type.String()), typ.Value)
	case errors.Is(err, so.ErrTrailingData):
		return badRequest("%s: unexpected data after the JSON object", requestBody)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("%s: malformed JSON, the body ends early", requestBody)
	}
	return badRequest("%s: %s", requestBody, err.Error())
}

func orBody(member string) string {
	if member == "" {
		return requestBody
	}
	return member
}

// memberAt names the member where the malformed JSON body breaks: the keys
// from the root to the innermost object being read (array positions are
// not named, as in encoding/json's own paths). after is true when that
// member's value was complete and the text breaks behind it.
func memberAt(body []byte) (member string, after bool) {
	type frame struct {
		object  bool
		key     string
		wantKey bool
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		top := len(stack) - 1
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:top]
				if top > 0 && stack[top-1].object {
					stack[top-1].wantKey = true
				}
			}
		case string:
			if top >= 0 && stack[top].object && stack[top].wantKey {
				stack[top].key, stack[top].wantKey = t, false
				continue
			}
			if top >= 0 && stack[top].object {
				stack[top].wantKey = true
			}
		default:
			if top >= 0 && stack[top].object {
				stack[top].wantKey = true
			}
		}
	}
	var keys []string
	for _, f := range stack {
		if f.object && f.key != "" {
			keys = append(keys, f.key)
		}
	}
	if len(keys) == 0 {
		return requestBody, false
	}
	last := stack[len(stack)-1]
	return strings.Join(keys, "."), last.object && last.wantKey
}

func position(body []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off && i < int64(len(body)); i++ {
		if body[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case strings.HasPrefix(goType, "map["):
		return "an object"
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "a boolean"
	case strings.HasPrefix(goType, "int") || strings.HasPrefix(goType, "uint") || strings.HasPrefix(goType, "float"):
		return "a number"
	}
	return "an object"
}

// writeJSON answers 200 with v; a nil pointer or slice is the literal null
// (protocol §2).
func writeJSON(w http.ResponseWriter, v any) {
	aw := answerWriter{w: w, buf: getAnswerBuffer()}
	defer answerBuffers.Put(&aw.buf)
	if err := so.MarshalWrite(&aw, v); err != nil {
		if !aw.started {
			writeError(w, nil, fmt.Errorf("encode response: %w", err))
			return
		}
		// Part of the answer is out: break the response rather than let
		// it pass for a complete one. (Carriers hold no values JSON cannot
		// represent, so this is not expected to happen.)
		panic(http.ErrAbortHandler)
	}
	_ = aw.flush()
}

// answerChunk is how much of an answer is held before it is written: most
// answers (a line, a product, a status) fit and go out whole, an encoding
// error then still a clean 500; a large one (an alternative or a version
// with its lines) goes out in pieces of this size instead of needing a
// buffer of its own size. Small, as 200 concurrent calls hold 200 of these.
const answerChunk = 16 << 10

// answerBuffers pools the answerChunk buffers.
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, answerChunk); return &b }}

func getAnswerBuffer() []byte { return (*answerBuffers.Get().(*[]byte))[:0] }

// answerWriter collects the encoder's small writes into answerChunk pieces
// and sends the 200 with the first piece.
type answerWriter struct {
	w       http.ResponseWriter
	buf     []byte
	started bool
}

func (a *answerWriter) Write(p []byte) (int, error) {
	if len(a.buf)+len(p) > cap(a.buf) {
		if err := a.flush(); err != nil {
			return 0, err
		}
		if len(p) > cap(a.buf) {
			return a.w.Write(p)
		}
	}
	a.buf = append(a.buf, p...)
	return len(p), nil
}

// flush sends what is held, with the header first.
func (a *answerWriter) flush() error {
	if !a.started {
		a.started = true
		a.w.Header().Set("Content-Type", "application/json; charset=utf-8")
		a.w.WriteHeader(http.StatusOK)
	}
	_, err := a.w.Write(a.buf)
	a.buf = a.buf[:0]
	return err
}

// writeErrorBody writes {"Error": msg} with the status.
func writeErrorBody(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"Error": msg})
}

// writeError is the single exit for failures: request problems and
// "every distributor failed" are shown; anything else is logged with the
// request id and answered with a generic 500 (no internal text leaks).
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	var unavailable *engine.UnavailableError
	switch {
	case errors.As(err, &re):
		writeErrorBody(w, re.status, re.msg)
	case errors.As(err, &unavailable):
		writeErrorBody(w, http.StatusBadGateway, unavailable.Error())
	default:
		id := ""
		if r != nil {
			zerolog.Ctx(r.Context()).Error().Err(err).Msg("internal error")
			id = RequestID(r.Context())
		}
		writeErrorBody(w, http.StatusInternalServerError, "internal error (request id "+id+")")
	}
}
