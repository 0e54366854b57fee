package superoffice

import (
	"encoding/json"
	"errors"
	"strings"
)

var errNotObject = errors.New("not a JSON object")

// eachMember calls fn with every top-level member of the JSON object data,
// in order, without decoding the values. data must already be valid JSON
// (the caller has decoded it once); this is the cheap second look the
// round-trip rule needs, instead of a second full decode into a map.
func eachMember(data []byte, fn func(key string, value []byte)) error {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return errNotObject
	}
	i++
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return errNotObject
		}
		if data[i] == '}' {
			return nil
		}
		if data[i] == ',' {
			i++
			continue
		}
		end := skipString(data, i)
		raw := data[i:end]
		key := string(raw[1 : len(raw)-1])
		if strings.IndexByte(key, '\\') >= 0 {
			if err := json.Unmarshal(raw, &key); err != nil {
				return err
			}
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return errNotObject
		}
		i = skipSpace(data, i+1)
		vend := skipValue(data, i)
		fn(key, data[i:vend])
		i = vend
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\t' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at data[i] == '"'.
func skipString(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// skipValue returns the index after the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = skipString(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i
	for j < len(data) && data[j] != ',' && data[j] != '}' && data[j] != ']' && data[j] != ' ' && data[j] != '\n' && data[j] != '\t' && data[j] != '\r' {
		j++
	}
	return j
}

// stringValue decodes a JSON string value, with a fast path for strings
// without escapes; null is "".
func stringValue(raw []byte) (string, error) {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' {
		inner := raw[1 : len(raw)-1]
		simple := true
		for _, c := range inner {
			if c == '\\' || c < 0x20 {
				simple = false
				break
			}
		}
		if simple {
			return string(inner), nil
		}
	}
	if isNull(raw) {
		return "", nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}
