package superoffice

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDateDecode(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		zero bool
	}{
		{`"2024-01-31T00:00:00"`, time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), false},
		{`"2024-01-31T10:15:00Z"`, time.Date(2024, 1, 31, 10, 15, 0, 0, time.UTC), false},
		{`"2024-01-31T10:15:00+02:00"`, time.Date(2024, 1, 31, 8, 15, 0, 0, time.UTC), false},
		{`"2024-01-31T10:15:00-05:30"`, time.Date(2024, 1, 31, 15, 45, 0, 0, time.UTC), false},
		{`"2022-06-16T16:21:12.0877887+02:00"`, time.Date(2022, 6, 16, 14, 21, 12, 87788700, time.UTC), false},
		{`"2022-06-16T16:21:12.0877887"`, time.Date(2022, 6, 16, 16, 21, 12, 87788700, time.UTC), false},
		{`"2022-06-16T16:21:12.5"`, time.Date(2022, 6, 16, 16, 21, 12, 500000000, time.UTC), false},
		{`"2024-01-31T10:15"`, time.Date(2024, 1, 31, 10, 15, 0, 0, time.UTC), false},
		// Zoned without seconds: still ISO 8601 (protocol §1.4).
		{`"2024-01-31T10:15Z"`, time.Date(2024, 1, 31, 10, 15, 0, 0, time.UTC), false},
		{`"2024-01-31T10:15+02:00"`, time.Date(2024, 1, 31, 8, 15, 0, 0, time.UTC), false},
		{`"2024-01-31T10:15:00.1234567Z"`, time.Date(2024, 1, 31, 10, 15, 0, 123456700, time.UTC), false},
		{`"2024-01-31"`, time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), false},
		{`"9999-12-31T23:59:59.9999999"`, time.Date(9999, 12, 31, 23, 59, 59, 999999900, time.UTC), false},
		{`"1760-01-01T00:00:00"`, time.Date(1760, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{`"0001-01-01T00:00:00"`, time.Time{}, true},
		{`null`, time.Time{}, true},
		{`""`, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			var d Date
			require.NoError(t, json.Unmarshal([]byte(tc.in), &d))
			assert.Equal(t, tc.zero, d.IsZero())
			if !tc.zero {
				assert.True(t, tc.want.Equal(d.Time()), "got %s want %s", d.Time(), tc.want)
				assert.Equal(t, time.UTC, d.Time().Location())
			}
		})
	}
	for _, bad := range []string{`"yesterday"`, `"31.01.2024"`, `"2024-13-01"`, `12`, `true`, `{}`} {
		var d Date
		assert.Error(t, json.Unmarshal([]byte(bad), &d), bad)
	}
}

func TestDateEncode(t *testing.T) {
	// Untouched dates are re-emitted byte for byte.
	for _, raw := range []string{
		`"2024-01-31T00:00:00"`,
		`"2022-06-16T16:21:12.0877887+02:00"`,
		`"2024-01-31T10:15:00Z"`,
		`"2024-01-31"`,
		`"0001-01-01T00:00:00"`,
		`"1760-01-01T00:00:00"`,
		`"9999-12-31T23:59:59.9999999"`,
		`"2024-01-31T10:15:00.000+00:00"`,
		`"2024-01-31T10:15Z"`,
		`"2024-01-31T10:15+02:00"`,
		`""`, // an empty date is unset, and comes back as it came
	} {
		var d Date
		require.NoError(t, json.Unmarshal([]byte(raw), &d))
		out, err := json.Marshal(d)
		require.NoError(t, err)
		assert.Equal(t, raw, string(out))
	}

	tests := []struct {
		name string
		d    Date
		want string
	}{
		{"unset", Date{}, `"0001-01-01T00:00:00"`},
		{"null read", mustDate(t, `null`), `"0001-01-01T00:00:00"`},
		{"empty read", mustDate(t, `""`), `""`},
		{"service set UTC", NewDate(time.Date(2024, 1, 31, 10, 15, 0, 0, time.UTC)), `"2024-01-31T10:15:00Z"`},
		{"service set other zone", NewDate(time.Date(2024, 1, 31, 12, 15, 0, 0, time.FixedZone("CEST", 2*3600))), `"2024-01-31T10:15:00Z"`},
		{"service set zero", NewDate(time.Time{}), `"0001-01-01T00:00:00"`},
		{"open end", OpenEnd(), `"9999-12-31T23:59:59.9999999"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := json.Marshal(tc.d)
			require.NoError(t, err)
			assert.Equal(t, tc.want, string(out))
		})
	}
	assert.False(t, OpenEnd().IsZero())
	assert.Equal(t, 9999, OpenEnd().Time().Year())
	assert.True(t, Date{}.IsZero())
	assert.True(t, mustDate(t, `""`).IsZero())
}

func TestDateInCarrier(t *testing.T) {
	// A date the service replaces loses its raw text.
	var l QuoteLineInfo
	require.NoError(t, json.Unmarshal([]byte(`{"SubscriptionStart":"2024-01-31T00:00:00"}`), &l))
	out, err := json.Marshal(l)
	require.NoError(t, err)
	assert.Equal(t, `"2024-01-31T00:00:00"`, string(members(t, out)["SubscriptionStart"]))
	l.SubscriptionStart = NewDate(time.Date(2025, 2, 1, 8, 0, 0, 0, time.UTC))
	out, err = json.Marshal(l)
	require.NoError(t, err)
	assert.Equal(t, `"2025-02-01T08:00:00Z"`, string(members(t, out)["SubscriptionStart"]))

	var p PriceListInfo
	out, err = json.Marshal(PriceListInfo{ValidTo: OpenEnd()})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &p))
	assert.Equal(t, `"0001-01-01T00:00:00"`, string(members(t, out)["ValidFrom"]))
	assert.Equal(t, `"9999-12-31T23:59:59.9999999"`, string(members(t, out)["ValidTo"]))
}

func mustDate(t *testing.T, raw string) Date {
	t.Helper()
	var d Date
	require.NoError(t, json.Unmarshal([]byte(raw), &d))
	return d
}

func TestParseDate(t *testing.T) {
	got, err := ParseDate("  2024-01-31T10:15:00+01:00 ")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 31, 9, 15, 0, 0, time.UTC), got)
	_, err = ParseDate("31/01/2024")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "31/01/2024")
}
