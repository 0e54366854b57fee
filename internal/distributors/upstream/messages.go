package upstream

import (
	"encoding/json"
	"strings"
)

// errorBody is what the distributors' JSON error answers carry, whatever
// the gateway: Azure API Management's {"statusCode", "message"}, OAuth2's
// {"error", "error_description"}, problem+json's {"title", "detail"}, or
// {"error": {"message": …}}. The seeds give no schema (distributors.md:
// "read a JSON body's message when present").
type errorBody struct {
	Message          any    `json:"message"`
	ErrorDescription string `json:"error_description"`
	Detail           string `json:"detail"`
	Error            any    `json:"error"`
	Title            string `json:"title"`
}

// MessageOf returns the human text of a JSON error answer, clipped, or "".
func MessageOf(body []byte) string {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return ""
	}
	for _, m := range []any{eb.Message, eb.ErrorDescription, eb.Detail, eb.Error, eb.Title} {
		if s := textOf(m); s != "" {
			return Clip(s)
		}
	}
	return ""
}

func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case map[string]any:
		for _, k := range []string{"message", "description", "detail"} {
			if s, ok := x[k].(string); ok && s != "" {
				return strings.TrimSpace(s)
			}
		}
	}
	return ""
}

// Clip bounds a distributor's text shown to users.
func Clip(s string) string {
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}
