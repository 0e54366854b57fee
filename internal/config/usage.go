package config

import (
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Setting is one QC_ variable as the Config struct declares it.
type Setting struct {
	Name    string // QC_ADDR
	Default string // as written in the default tag; "" for none
	Meaning string // the desc tag
	Type    string // duration, number, true/false, text
	Secret  bool   // the value is never shown
}

// Prefix is the environment variables' prefix.
const Prefix = "QC"

// Settings lists every service setting in declaration order, read from the
// Config struct's tags: what Load reads is what Usage prints.
func Settings() []Setting {
	t := reflect.TypeOf(Config{})
	out := make([]Setting, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := f.Tag.Lookup("envconfig")
		if !ok {
			continue
		}
		out = append(out, Setting{
			Name:    Prefix + "_" + name,
			Default: f.Tag.Get("default"),
			Meaning: f.Tag.Get("desc"),
			Type:    typeName(f.Type),
			Secret:  f.Tag.Get("secret") == "true",
		})
	}
	return out
}

func typeName(t reflect.Type) string {
	switch {
	case t.PkgPath() == "time" && t.Name() == "Duration":
		return "duration"
	case t.Kind() == reflect.Bool:
		return "true/false"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Float64:
		return "number"
	}
	return "text"
}

// Usage writes `quoteconnector -h`: what the binary is, its flags, and every
// QC_ setting with its default and meaning.
func Usage(w io.Writer, program string) {
	fmt.Fprintf(w, `%s: SuperOffice online REST quote connector for Logicom, Westcon and Nuvias.

Usage:
  %[1]s             serve (settings from the environment)
  %[1]s --version   print the version and commit, then exit
  %[1]s -h          print this help, then exit

Settings (environment variables):
`, program)
	for _, s := range Settings() {
		def := "(none)"
		if s.Default != "" {
			def = fmt.Sprintf("%q", s.Default)
		}
		extra := ""
		if s.Secret {
			extra = ", secret"
		}
		fmt.Fprintf(w, "\n  %s  %s, default %s%s\n", s.Name, s.Type, def, extra)
		for _, line := range wrap(s.Meaning, 72) {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
	fmt.Fprint(w, `
Tracing (OpenTelemetry, off unless set):

  OTEL_EXPORTER_OTLP_ENDPOINT  e.g. http://collector:4318: export a span per
      request and per distributor call over OTLP/HTTP; the other standard
      OTEL_ variables (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_HEADERS, ...) apply.
`)
}

// wrap breaks text into lines of at most width characters at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
