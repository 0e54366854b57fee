package handlers

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

func TestWriteJSON(t *testing.T) {
	// A small answer and a large one (written through after answerChunk)
	// come out as the encoder makes them.
	small := &so.QuoteLineInfo{Name: "a<b>&c", Quantity: 2}
	var many []*so.QuoteLineInfo
	for i := 0; len(many) < 200; i++ {
		many = append(many, &so.QuoteLineInfo{QuoteLineId: i, Name: strings.Repeat("x", 200)})
	}
	for _, v := range []any{small, many, nil} {
		want, err := so.Marshal(v)
		require.NoError(t, err)
		rec := httptest.NewRecorder()
		writeJSON(rec, v)
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
		assert.True(t, bytes.Equal(want, rec.Body.Bytes()), "%d bytes", len(want))
	}
	require.Greater(t, len(mustMarshal(t, many)), answerChunk)

	// An answer that cannot be encoded is a 500 while nothing is sent...
	rec := httptest.NewRecorder()
	writeJSON(rec, &so.QuoteLineInfo{Quantity: math.NaN()})
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.NotContains(t, rec.Body.String(), "Quantity")

	// ...and a broken response once part of it is out.
	bad := append(many, &so.QuoteLineInfo{Quantity: math.Inf(1)})
	assert.PanicsWithValue(t, http.ErrAbortHandler, func() { writeJSON(httptest.NewRecorder(), bad) })
}

func mustMarshal(t *testing.T, v any) []byte {
	b, err := so.Marshal(v)
	require.NoError(t, err)
	return b
}
