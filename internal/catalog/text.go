package catalog

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The index matches words, and both sides of a match are made here, by one
// function, so the store's backends index and query the same tokens:
// folded to lower case without diacritics ("Écran" = "ecran"), split at
// anything that is not a letter or digit (a decimal point between digits
// stays: "23.8"), sizes and units joined to their number and spelled one
// way (`27"`, `27''`, `27 inch`, `27in` and `27-inch` are all "27in"),
// regular plurals reduced ("monitors" = "monitor"). Tokens hold only
// a-z, 0-9 and '.', which the store's query syntaxes take as they are.

// textVersion changes when the tokens change, so that a stored item's hash
// changes and the next full sync reindexes it.
const textVersion = "1"

// units are the spellings of a unit after a number, by canonical form.
var units = map[string]string{
	"in": "in", "inch": "in", "inches": "in", "zoll": "in", "tommer": "in",
	"cm": "cm", "mm": "mm",
	"kb": "kb", "mb": "mb", "gb": "gb", "tb": "tb",
	"hz": "hz", "khz": "khz", "mhz": "mhz", "ghz": "ghz",
	"w": "w", "kw": "kw", "va": "va", "mah": "mah",
	"ppm": "ppm", "ms": "ms", "rpm": "rpm", "mp": "mp",
	"mbps": "mbps", "gbps": "gbps",
}

// special folds letters that do not decompose into a base letter and a
// mark.
var special = map[rune]string{'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i"}

// fold lower-cases s and removes diacritics.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if x, ok := special[r]; ok {
			b.WriteString(x)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// token is one word of a text as the tokenizer found it.
type token struct {
	s string
	// joined: the token followed the previous one with only a hyphen,
	// slash or similar between them ("usb-c", "hl-l2350dw").
	joined bool
}

func isNum(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}

func isInchMark(r rune) bool { return r == '"' || r == '”' || r == '″' || r == '“' }

// split tokenizes folded text; inch marks after a number become the unit
// "in".
func split(s string) []token {
	rs := []rune(s)
	var out []token
	var cur []rune
	joined := false
	sep := 0 // separators since the last token: 1 = a joining one
	flush := func() {
		if len(cur) > 0 {
			out = append(out, token{s: string(cur), joined: joined})
			cur = cur[:0]
		}
	}
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') || r >= 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if len(cur) == 0 {
				joined = len(out) > 0 && sep == 1
				sep = 0
			}
			cur = append(cur, r)
		case (r == '.' || r == ',') && len(cur) > 0 && unicode.IsDigit(cur[len(cur)-1]) && i+1 < len(rs) && unicode.IsDigit(rs[i+1]) && isNum(string(cur)):
			cur = append(cur, '.') // a decimal mark ("23.8", "1,5")
		case (isInchMark(r) || (r == '\'' && i+1 < len(rs) && rs[i+1] == '\'')) && len(cur) > 0 && isNum(string(cur)):
			flush()
			out = append(out, token{s: "in", joined: true})
			if r == '\'' {
				i++
			}
			sep = 2
		default:
			flush()
			if r == '-' || r == '/' || r == '_' || r == '#' || r == '.' || r == '+' {
				sep++
			} else {
				sep += 2
			}
		}
	}
	flush()
	return out
}

// numberUnit splits "27inch" into "27" and "in".
func numberUnit(s string) (num, unit string, ok bool) {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == 0 || i == len(s) || !isNum(s[:i]) {
		return "", "", false
	}
	u, ok := units[s[i:]]
	return s[:i], u, ok
}

// stem reduces a regular English plural of a word of letters.
func stem(s string) string {
	if len(s) <= 3 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return s
		}
	}
	switch {
	case strings.HasSuffix(s, "ies") && len(s) > 4:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "sses"), strings.HasSuffix(s, "ches"), strings.HasSuffix(s, "shes"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"):
		return s
	case strings.HasSuffix(s, "s"):
		return s[:len(s)-1]
	}
	return s
}

// Words are the tokens of text for a query: a size is its joined form only
// ("27in"), so `27"` finds 27-inch products and not every 27.
func Words(text string) []string { return words(text, false) }

// indexWords are the tokens of text for the index: a size also as the bare
// number (a query "27 monitor" finds the 27" one), and words written with
// a hyphen or slash also as one ("wi-fi" = "wifi", "hl-l2350dw" =
// "hll2350dw").
func indexWords(text string) []string { return words(text, true) }

func words(text string, index bool) []string {
	toks := split(fold(text))
	var out []string
	seen := map[string]bool{}
	emit := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	var compound []string
	flushCompound := func() {
		if index && len(compound) > 1 {
			emit(strings.Join(compound, ""))
		}
		compound = compound[:0]
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !t.joined {
			flushCompound()
		}
		s := t.s
		num, unit, isUnit := numberUnit(s)
		if !isUnit && isNum(s) && i+1 < len(toks) {
			if u, ok := units[toks[i+1].s]; ok {
				num, unit, isUnit = s, u, true
				i++
			}
		}
		if isUnit {
			emit(num + unit)
			if index {
				emit(num)
			}
			compound = append(compound, num+unit)
			continue
		}
		compound = append(compound, s)
		emit(stem(s))
	}
	flushCompound()
	return out
}

// Key folds a SKU or part number to letters and digits only, lower case:
// "210-KBXR" and "210kbxr" are one key.
func Key(code string) string {
	var b strings.Builder
	for _, r := range fold(code) {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// codeWords are the index tokens of SKUs and part numbers: each part
// ("c2p23ae", "bgx" of "C2P23AE#BGX") and the whole key, unstemmed.
func codeWords(codes ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range codes {
		for _, t := range split(fold(c)) {
			if !seen[t.s] {
				seen[t.s] = true
				out = append(out, t.s)
			}
		}
		if k := Key(c); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
