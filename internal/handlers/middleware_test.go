package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/assert"
)

func TestPanicRecoveredWithRequestID(t *testing.T) {
	var logs strings.Builder
	h := requestID(zerolog.New(&logs))(recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: internal detail")
	})))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/FindProduct", nil)
	req.Header.Set("X-Request-Id", "req-123")
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"Error":"internal error (request id req-123)"}`, rec.Body.String())
	assert.NotContains(t, rec.Body.String(), "boom")
	assert.Contains(t, logs.String(), "boom: internal detail")
	assert.Contains(t, logs.String(), `"request_id":"req-123"`)
}

func TestInternalErrorTextNotShown(t *testing.T) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/x", nil)
	writeError(rec, req, assert.AnError)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.NotContains(t, rec.Body.String(), assert.AnError.Error())
}
