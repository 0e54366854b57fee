package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWordsFoldsCaseDiacriticsAndPlurals(t *testing.T) {
	assert.Equal(t, []string{"ecran", "dell", "monitor"}, Words("Écran DELL Monitors"))
	assert.Equal(t, []string{"tastatur", "norsk", "o", "e"}, Words("Tastatur, NORSK Ø-E"))
	assert.Equal(t, []string{"switch", "box", "battery", "class", "status"}, Words("switches boxes batteries class status"))
}

func TestSizesAreWrittenOneWay(t *testing.T) {
	for _, in := range []string{`27"`, `27''`, `27 inch`, `27in`, `27-inch`, `27 Inches`, `27”`, `27″`} {
		assert.Equal(t, []string{"27in"}, Words(in), in)
	}
	assert.Equal(t, []string{"23.8in", "monitor"}, Words(`23.8" monitor`))
	assert.Equal(t, []string{"68.6cm", "27in"}, Words(`68.6 cm (27'')`))
	assert.Equal(t, []string{"2tb", "ssd"}, Words("2 TB SSD"))
	assert.Equal(t, []string{"2tb"}, Words("2TB"))
	assert.Equal(t, []string{"27", "monitor"}, Words("27 monitor"), "a bare number stays a number")
}

func TestIndexWordsAddBareNumbersAndCompounds(t *testing.T) {
	assert.Equal(t, []string{"dell", "27in", "27", "monitor", "e2447h"}, indexWords(`Dell 27" Monitor - E2447H`))
	assert.Equal(t, []string{"usb", "c", "usbc", "dock"}, indexWords("USB-C dock"))
	assert.Equal(t, []string{"brother", "hl", "l2350dw", "hll2350dw"}, indexWords("Brother HL-L2350DW"))
	assert.Equal(t, []string{"wi", "fi", "wifi", "6"}, indexWords("Wi-Fi 6"))
}

func TestCodes(t *testing.T) {
	assert.Equal(t, "c2p23aebgx", Key("C2P23AE#BGX"))
	assert.Equal(t, []string{"c2p23ae", "bgx", "c2p23aebgx", "210", "kbxr", "210kbxr"}, codeWords("C2P23AE#BGX", "210-KBXR"))
	assert.Equal(t, []string{"e2447h"}, codeWords("E2447H", "e2447h"))
}
