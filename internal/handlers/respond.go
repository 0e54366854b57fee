package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

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
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &requestError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("%s: larger than %d bytes", requestBody, tooBig.Limit)}
		}
		return badRequest("%s: cannot be read", requestBody)
	}
	body = bytes.TrimSpace(body)
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
	b, err := so.Marshal(v)
	if err != nil {
		writeError(w, nil, fmt.Errorf("encode response: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
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
