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

// decode reads the JSON body into v (protocol §1, §2): a missing or empty
// body is {}, the body is limited in size (413), malformed JSON, trailing
// data and wrong types are 400s that name the member.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &requestError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("request body larger than %d bytes", tooBig.Limit)}
		}
		return badRequest("cannot read request body")
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || bytes.Equal(body, []byte("null")) {
		body = []byte("{}")
	}
	if body[0] != '{' {
		return badRequest("request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return describeJSONError(err, body)
	}
	if dec.More() {
		return badRequest("unexpected data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("unexpected data after the JSON object")
	}
	return nil
}

func describeJSONError(err error, body []byte) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var enum *so.EnumError
	switch {
	case errors.As(err, &syn):
		line, col := position(body, syn.Offset)
		return badRequest("malformed JSON at line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return badRequest("member %s: expected %s, got JSON %s", field, jsonKind(typ.Type.String()), typ.Value)
	case errors.As(err, &enum):
		return badRequest("%s", enum.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed JSON: the body ends early")
	}
	return badRequest("invalid request: %s", err.Error())
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
	b, err := json.Marshal(v)
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
