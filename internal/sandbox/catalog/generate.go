package catalog

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"
)

// Generation sizes.
const (
	LogicomItemCount  = 2100 // Logicom items
	SharedPartCount   = 300  // part numbers stocked by Logicom and Nuvias
	NuviasOwnCount    = 900  // Nuvias products not at Logicom
	NuviasFirstID     = 1001 // first Nuvias product id
	WestconOrderCount = 20
	USDPerEUR         = 1.08
)

// Generate builds the sandbox catalog. The same seed and day always give the
// same catalog; today is truncated to its UTC day and all date windows
// (special prices, incoming POs, Modified, Westcon dates) are relative to it.
func Generate(seed int64, today time.Time) *Catalog {
	return GenerateSize(seed, today, LogicomItemCount)
}

// MaxLogicomItems bounds GenerateSize.
const MaxLogicomItems = 1_000_000

// GenerateSize is Generate with n Logicom items (QC_SANDBOX_CATALOG_SIZE;
// at least one product line's worth, at most MaxLogicomItems). The first
// LogicomItemCount items are those of Generate's catalog.
func GenerateSize(seed int64, today time.Time, n int) *Catalog {
	n = min(max(n, 1), MaxLogicomItems)
	t := today.UTC()
	t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	g := &gen{
		r:     rand.New(rand.NewPCG(uint64(seed), 0x5eedc0ffee)),
		today: t,
		used:  make(map[string]bool, n+NuviasOwnCount),
	}
	c := &Catalog{Seed: seed, Today: t}
	c.Logicom = g.logicom(n)
	c.Nuvias = g.nuvias(&c.Logicom)
	c.Westcon = g.westcon(c)
	return c
}

type gen struct {
	r     *rand.Rand
	today time.Time
	used  map[string]bool // upper-case part numbers already issued
}

func (g *gen) intn(n int) int                  { return g.r.IntN(n) }
func (g *gen) between(lo, hi int) int          { return lo + g.r.IntN(hi-lo+1) }
func (g *gen) chance(p float64) bool           { return g.r.Float64() < p }
func (g *gen) pick(s []string) string          { return s[g.r.IntN(len(s))] }
func (g *gen) days(lo, hi int) time.Time       { return g.today.AddDate(0, 0, g.between(lo, hi)) }
func round2(f float64) float64                 { return math.Round(f*100) / 100 }
func (g *gen) logPrice(lo, hi float64) float64 { return round2(lo * math.Pow(hi/lo, g.r.Float64())) }

const (
	letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	alnum   = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
)

// fill replaces '@' with a letter, '%' with a digit and '*' with a letter or
// digit; every other character is literal.
func (g *gen) fill(p string) string {
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '@':
			b.WriteByte(letters[g.intn(len(letters))])
		case '%':
			b.WriteByte(byte('0' + g.intn(10)))
		case '*':
			b.WriteByte(alnum[g.intn(len(alnum))])
		default:
			b.WriteByte(p[i])
		}
	}
	return b.String()
}

// uniqueCode fills pattern until it yields an unused part number.
func (g *gen) uniqueCode(pattern string) string {
	for i := 0; ; i++ {
		s := g.fill(pattern)
		if i > 30 {
			s += fmt.Sprintf("-%03d", g.intn(1000))
		}
		if !g.used[strings.ToUpper(s)] {
			g.used[strings.ToUpper(s)] = true
			return s
		}
	}
}

func (g *gen) ean13() string {
	d := make([]byte, 13)
	d[0] = byte('0' + g.between(4, 8)) // 40-89: European prefixes
	for i := 1; i < 12; i++ {
		d[i] = byte('0' + g.intn(10))
	}
	sum := 0
	for i := 0; i < 12; i++ {
		n := int(d[i] - '0')
		if i%2 == 1 {
			n *= 3
		}
		sum += n
	}
	d[12] = byte('0' + (10-sum%10)%10)
	return string(d)
}

func (g *gen) secret(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (g *gen) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[g.intn(16)]
	}
	return string(b)
}

// ---- product model ----

type specDef struct {
	name   string
	values []string
}

type kind struct {
	cat      string
	noun     string
	attrName string
	attrs    []string
	lo, hi   float64
	specs    []specDef
	warranty []string
	software bool
}

var hwWarranty = []string{"12 Months", "24 Months", "36 Months"}
var swWarranty = []string{""}

var kinds = map[string]kind{
	"monitor": {"100-30-1", "Monitor", "Display diagonal", []string{`24"`, `27"`, `32"`, `34"`}, 110, 950,
		[]specDef{{"Display resolution", []string{"1920 x 1080 pixels", "2560 x 1440 pixels", "3840 x 2160 pixels"}}, {"Response time", []string{"4 ms", "5 ms", "8 ms"}}, {"Product colour", []string{"Black", "Silver", "White"}}}, []string{"36 Months"}, false},
	"desktop": {"100-10-1", "Desktop PC", "Configuration", []string{"i5/8GB/256GB SSD", "i5/16GB/512GB SSD", "i7/16GB/512GB SSD", "Ryzen 5/16GB/512GB SSD"}, 430, 1650,
		[]specDef{{"Form factor", []string{"SFF", "Tower", "Micro"}}, {"Operating system", []string{"Windows 11 Pro", "Windows 11 Home"}}}, hwWarranty, false},
	"workstation": {"100-10-2", "Workstation", "Configuration", []string{"Xeon W/32GB/1TB SSD", "i9/64GB/2TB SSD", "Xeon W/64GB/2TB SSD"}, 1400, 4800,
		[]specDef{{"Graphics", []string{"NVIDIA RTX A2000", "NVIDIA RTX A4000", "NVIDIA T1000"}}, {"Operating system", []string{"Windows 11 Pro for Workstations"}}}, []string{"36 Months"}, false},
	"aio": {"100-10-5", "All-in-One PC", "Display diagonal", []string{`23.8"`, `27"`}, 650, 1900,
		[]specDef{{"Processor", []string{"Intel Core i5", "Intel Core i7", "AMD Ryzen 5"}}, {"RAM", []string{"8 GB", "16 GB"}}}, hwWarranty, false},
	"notebook": {"100-20-1", "Notebook", "Display diagonal", []string{`13.3"`, `14"`, `15.6"`, `16"`}, 580, 2500,
		[]specDef{{"Processor", []string{"Intel Core i5-1335U", "Intel Core i7-1365U", "AMD Ryzen 5 7530U", "Intel Core Ultra 7 155H"}}, {"RAM", []string{"8 GB", "16 GB", "32 GB"}}, {"Storage", []string{"256 GB SSD", "512 GB SSD", "1 TB SSD"}}, {"Operating system", []string{"Windows 11 Pro", "Windows 11 Home"}}}, hwWarranty, false},
	"tablet": {"100-20-2", "Tablet", "Display diagonal", []string{`10.1"`, `11"`, `12.4"`}, 170, 1100,
		[]specDef{{"Storage", []string{"64 GB", "128 GB", "256 GB"}}, {"Connectivity", []string{"Wi-Fi", "Wi-Fi + 5G"}}}, []string{"12 Months", "24 Months"}, false},
	"switch": {"200-10-1", "Managed Switch", "Ports", []string{"8-port PoE+", "24-port", "24-port PoE+", "48-port PoE+"}, 140, 5200,
		[]specDef{{"Uplinks", []string{"2x SFP", "4x SFP+", "4x 1G SFP"}}, {"Rack mounting", []string{"Yes", "No"}}}, []string{"Lifetime", "60 Months", "12 Months"}, false},
	"uswitch": {"200-10-2", "Unmanaged Switch", "Ports", []string{"5-port", "8-port", "16-port"}, 14, 160,
		[]specDef{{"Port speed", []string{"10/100/1000 Mbps"}}}, []string{"24 Months", "Lifetime"}, false},
	"ap": {"200-20-1", "Access Point", "Standard", []string{"Wi-Fi 5", "Wi-Fi 6", "Wi-Fi 6E"}, 85, 750,
		[]specDef{{"Mounting", []string{"Ceiling", "Wall", "Outdoor"}}, {"PoE", []string{"802.3af", "802.3at"}}}, []string{"12 Months", "Lifetime"}, false},
	"firewall": {"200-30-1", "Firewall", "Bundle", []string{"Appliance", "Appliance + 1yr UTP", "Appliance + 3yr UTP"}, 380, 6500,
		[]specDef{{"Firewall throughput", []string{"5 Gbps", "10 Gbps", "27 Gbps"}}, {"Form factor", []string{"Desktop", "1U"}}}, []string{"12 Months"}, false},
	"hdd": {"300-10-1", "Hard Drive", "Capacity", []string{"2 TB", "4 TB", "8 TB", "12 TB"}, 55, 380,
		[]specDef{{"Interface", []string{"SATA 6Gb/s"}}, {"Rotational speed", []string{"5400 rpm", "7200 rpm"}}}, []string{"36 Months", "24 Months"}, false},
	"ssd": {"300-10-2", "SSD", "Capacity", []string{"480 GB", "1 TB", "2 TB", "4 TB"}, 32, 320,
		[]specDef{{"Interface", []string{"SATA III", "PCIe 4.0 NVMe"}}, {"Form factor", []string{"2.5\"", "M.2 2280"}}}, []string{"36 Months", "60 Months"}, false},
	"ram": {"300-20-1", "Memory", "Capacity", []string{"8 GB DDR4", "16 GB DDR4", "32 GB DDR5"}, 18, 170,
		[]specDef{{"Speed", []string{"3200 MHz", "4800 MHz", "5600 MHz"}}}, []string{"Lifetime"}, false},
	"ext": {"300-30-1", "External Drive", "Capacity", []string{"1 TB", "2 TB", "4 TB", "5 TB"}, 50, 220,
		[]specDef{{"Interface", []string{"USB 3.2 Gen 1", "USB-C"}}}, []string{"24 Months", "36 Months"}, false},
	"antivirus": {"400-10-1", "Security Licence", "Licence", []string{"1 user 1 year", "5 users 1 year", "10 users 1 year", "25 users 2 years"}, 18, 900,
		[]specDef{{"License type", []string{"Full", "Renewal"}}, {"Software type", []string{"Electronic Software Download (ESD)"}}}, swWarranty, true},
	"office": {"400-20-1", "Licence", "Edition", []string{"Home & Business 2021", "Business Standard 1yr", "Windows 11 Pro", "Project Standard 2021"}, 85, 650,
		[]specDef{{"License quantity", []string{"1 license(s)", "5 license(s)"}}, {"Language version", []string{"Multilingual", "English"}}}, swWarranty, true},
	"backup": {"400-30-1", "Backup Licence", "Licence", []string{"1 socket", "10 instances 1yr", "Universal 5 instances 1yr"}, 280, 3200,
		[]specDef{{"License term in years", []string{"1 year(s)", "3 year(s)"}}}, swWarranty, true},
	"creative": {"400-40-1", "Subscription", "Plan", []string{"Acrobat Pro 1yr", "Creative Cloud All Apps 1yr", "Photoshop 1yr"}, 150, 950,
		[]specDef{{"License type", []string{"Subscription"}}}, swWarranty, true},
	"keyboard": {"500-10-1", "Keyboard", "Connection", []string{"Wireless", "Wired USB", "Bluetooth"}, 14, 160,
		[]specDef{{"Keyboard layout", []string{"Nordic", "US International", "UK"}}}, []string{"12 Months", "24 Months"}, false},
	"mouse": {"500-10-2", "Mouse", "Connection", []string{"Wireless", "Wired USB", "Bluetooth"}, 9, 120,
		[]specDef{{"Sensor", []string{"Optical", "Laser"}}}, []string{"12 Months", "24 Months"}, false},
	"laser": {"500-20-1", "Laser Printer", "Type", []string{"Mono", "Colour", "Mono MFP", "Colour MFP"}, 110, 950,
		[]specDef{{"Print speed", []string{"30 ppm", "38 ppm", "42 ppm"}}, {"Duplex", []string{"Yes"}}}, []string{"12 Months", "36 Months"}, false},
	"inkjet": {"500-20-2", "Inkjet Printer", "Type", []string{"Colour", "Colour MFP", "A3 Colour MFP"}, 85, 620,
		[]specDef{{"Connectivity", []string{"Wi-Fi", "Ethernet, Wi-Fi"}}}, []string{"12 Months", "36 Months"}, false},
	"toner": {"500-20-3", "Toner Cartridge", "Colour", []string{"Black", "Cyan", "Magenta", "Yellow"}, 18, 190,
		[]specDef{{"Page yield", []string{"1,200 pages", "3,000 pages", "9,000 pages"}}}, []string{""}, false},
	"headset": {"500-30-1", "Headset", "Variant", []string{"Stereo USB-A", "Mono USB-C", "Wireless Stereo", "Stereo MS Teams"}, 35, 420,
		[]specDef{{"Connectivity", []string{"USB-A", "USB-C", "Bluetooth"}}, {"Noise cancelling", []string{"Yes", "No"}}}, []string{"24 Months"}, false},
	"webcam": {"500-40-1", "Webcam", "Resolution", []string{"1080p", "4K"}, 35, 260,
		[]specDef{{"Field of view", []string{"78°", "90°"}}}, []string{"24 Months"}, false},
	"ups": {"600-10-1", "UPS", "Power", []string{"750VA", "1500VA", "2200VA", "3000VA"}, 85, 2300,
		[]specDef{{"Topology", []string{"Line-interactive", "Online double conversion"}}, {"Outlets", []string{"6x IEC C13", "8x IEC C13", "4x Schuko"}}}, []string{"24 Months", "36 Months"}, false},
	"speakerphone": {"1100-10-1", "Speakerphone", "Connection", []string{"USB", "USB + Bluetooth"}, 75, 520,
		[]specDef{{"Certified for", []string{"Microsoft Teams", "Zoom", "UC"}}}, []string{"24 Months"}, false},
	"videobar": {"1100-10-2", "Video Bar", "Room size", []string{"Small room", "Medium room", "Large room"}, 550, 3200,
		[]specDef{{"Camera resolution", []string{"4K UHD"}}}, []string{"24 Months"}, false},
}

type line struct {
	kind   string
	sku    []string // SKU patterns
	models []string // model patterns
	esd    bool
}

type brandDef struct {
	name, mfr  string
	lines      []line
	eufShare   float64 // share of items needing the end-user form
	hashSuffix bool    // HP style "#ABB" localisation suffixes
}

var logicomBrands = []brandDef{
	{name: "Dell", mfr: "DELL", lines: []line{
		{kind: "monitor", sku: []string{"210-@@@@"}, models: []string{"P27%%H", "U27%%QE", "SE2%%%H", "E24%%H", "P24%%H"}},
		{kind: "desktop", sku: []string{"210-@@@@"}, models: []string{"OptiPlex 7%%%", "Vostro 3%%%"}},
		{kind: "notebook", sku: []string{"210-@@@@", "N0%%L%%%%EMEA_VP"}, models: []string{"Latitude 5%%%", "Latitude 7%%%", "Vostro 15 3%%%"}},
		{kind: "workstation", sku: []string{"210-@@@@"}, models: []string{"Precision 3%%%", "Precision 5%%%"}},
		{kind: "keyboard", sku: []string{"580-@@@@"}, models: []string{"KB%%%", "KM%%%W"}},
		{kind: "mouse", sku: []string{"570-@@@@"}, models: []string{"MS%%%", "MS%%%W"}},
	}},
	{name: "HP", mfr: "HP", hashSuffix: true, lines: []line{
		{kind: "notebook", sku: []string{"%@@%%EA", "%@@%%ET"}, models: []string{"ProBook 4%% G10", "EliteBook 8%% G9", "EliteBook 6%% G11"}},
		{kind: "desktop", sku: []string{"%@@%%EA"}, models: []string{"ProDesk 400 G%", "EliteDesk 800 G%", "Pro Mini 400 G%"}},
		{kind: "monitor", sku: []string{"%@@%%AA", "%@@%%E9"}, models: []string{"E2%% G5", "P2%%h G5", "M2%%f"}},
		{kind: "laser", sku: []string{"%@@%%A", "%@@%%F"}, models: []string{"LaserJet Pro %%%%dw", "Color LaserJet Pro MFP %%%%fdw"}},
		{kind: "toner", sku: []string{"W%%%%A", "CF%%%X"}, models: []string{"%%%A", "%%%X"}},
		{kind: "switch", sku: []string{"J%%%%A", "JL%%%A"}, models: []string{"Aruba 2930F %%G", "Aruba 6100 %%G"}},
		{kind: "mouse", sku: []string{"%@@%%AA"}, models: []string{"%%%"}},
	}},
	{name: "Lenovo", mfr: "LENOVO", lines: []line{
		{kind: "notebook", sku: []string{"%%@@%%%*MX", "%%@@%%%*GE"}, models: []string{"ThinkPad T14 Gen %", "ThinkPad E1% Gen %", "ThinkBook 1% G% IRL", "ThinkPad X1 Carbon Gen 1%"}},
		{kind: "desktop", sku: []string{"%%@@%%%*MX"}, models: []string{"ThinkCentre M%%q", "ThinkCentre neo 50s"}},
		{kind: "monitor", sku: []string{"6%@%@@T%EU"}, models: []string{"ThinkVision T2%i-%%", "ThinkVision E2%-%%"}},
		{kind: "tablet", sku: []string{"ZA@@%%%%SE"}, models: []string{"Tab P1% Pro", "Tab M1%"}},
		{kind: "workstation", sku: []string{"%%@@%%%*MT"}, models: []string{"ThinkStation P3%%", "ThinkStation P%%0"}},
	}},
	{name: "Cisco", mfr: "CISCO", eufShare: 0.4, lines: []line{
		{kind: "switch", sku: []string{"CBS350-%%@-4G-EU", "C1000-%%T-4G-L", "C9200L-%%P-4X-E", "C9300-%%P-A"}, models: []string{"Business 350-%%", "Catalyst 1000-%%", "Catalyst 9200L-%%"}},
		{kind: "uswitch", sku: []string{"CBS110-%%T-EU"}, models: []string{"Business 110-%%T"}},
		{kind: "ap", sku: []string{"CBW1%%AX-E-EU", "C91%%AXI-E", "C91%%AXW-E"}, models: []string{"Business 1%%AX", "Catalyst 91%%AXI"}},
		{kind: "firewall", sku: []string{"FPR1%%%-NGFW-K9", "C11%%-8P"}, models: []string{"Firepower 1%%%", "ISR 11%%"}},
	}},
	{name: "Logitech", mfr: "LOGITECH", lines: []line{
		{kind: "keyboard", sku: []string{"920-%%%%%%"}, models: []string{"MX Keys S", "K%%%", "MK%%% Combo"}},
		{kind: "mouse", sku: []string{"910-%%%%%%"}, models: []string{"MX Master 3S", "M%%%", "Lift"}},
		{kind: "webcam", sku: []string{"960-%%%%%%"}, models: []string{"C9%%", "Brio %%%", "C%%%e"}},
		{kind: "headset", sku: []string{"981-%%%%%%"}, models: []string{"Zone %%%", "H%%%e"}},
		{kind: "videobar", sku: []string{"960-%%%%%%"}, models: []string{"Rally Bar Mini", "MeetUp %"}},
	}},
	{name: "Samsung", mfr: "SAMSUNG", lines: []line{
		{kind: "monitor", sku: []string{"LS%%@%%%@@@XEN", "LF%%T%%%FQRXEN"}, models: []string{"S%%A%%%U", "ViewFinity S%", "Odyssey G%"}},
		{kind: "ssd", sku: []string{"MZ-V%V%T%BW", "MZ-77E%T%B/EU"}, models: []string{"990 PRO", "870 EVO", "980"}},
		{kind: "tablet", sku: []string{"SM-X%%%NZAAEUB"}, models: []string{"Galaxy Tab S%", "Galaxy Tab A%"}},
	}},
	{name: "LG", mfr: "LG", lines: []line{
		{kind: "monitor", sku: []string{"%%@@%%%-B", "%%@@%%%@-W"}, models: []string{"UltraFine %%UN%%%", "UltraWide %%WN%%C", "%%MP%%"}},
	}},
	{name: "Microsoft", mfr: "MICROSOFT", lines: []line{
		{kind: "office", sku: []string{"@@@-%%%%%", "0%%-%%%%%"}, models: []string{"Office", "Microsoft 365", "Windows"}, esd: true},
		{kind: "keyboard", sku: []string{"@@@-%%%%%"}, models: []string{"Surface Keyboard", "Designer Compact"}},
		{kind: "notebook", sku: []string{"@@@-%%%%%"}, models: []string{"Surface Laptop %", "Surface Pro %"}},
	}},
	{name: "APC", mfr: "APC", lines: []line{
		{kind: "ups", sku: []string{"SMT%%%%IC", "BX%%%MI-GR", "SRT%%%%XLI", "SMC%%%%I-2UC"}, models: []string{"Smart-UPS", "Back-UPS", "Smart-UPS SRT", "Smart-UPS C"}},
	}},
	{name: "Kingston", mfr: "KINGSTON", lines: []line{
		{kind: "ram", sku: []string{"KVR%%N%%S8/%", "KF5%%C%%BB-%%", "KSM%%ES8/%%ME"}, models: []string{"ValueRAM", "FURY Beast", "Server Premier"}},
		{kind: "ssd", sku: []string{"SA400S37/%%%G", "SKC3000S/%%%%G", "SNV2S/%%%%G"}, models: []string{"A400", "KC3000", "NV2"}},
	}},
	{name: "Western Digital", mfr: "WESTERN DIGITAL", lines: []line{
		{kind: "hdd", sku: []string{"WD%%EFZX", "WD%%PURZ", "WD%%%FRYZ"}, models: []string{"Red Plus", "Purple", "Gold"}},
		{kind: "ssd", sku: []string{"WDS%%%T%X0E", "WDS%%%G%B0A"}, models: []string{"Black SN8%%", "Blue SA510"}},
		{kind: "ext", sku: []string{"WDBYVG00%%BBK-WESN", "WDBU6Y00%%BBK-WESN"}, models: []string{"My Passport", "Elements Portable"}},
	}},
	{name: "Seagate", mfr: "SEAGATE", lines: []line{
		{kind: "hdd", sku: []string{"ST%%%%VN00%", "ST%%%%DM00%", "ST%%%%NM00%@"}, models: []string{"IronWolf", "BarraCuda", "Exos 7E10"}},
		{kind: "ext", sku: []string{"STKM%%%%400", "STKP%%%%400"}, models: []string{"Expansion", "One Touch"}},
	}},
	{name: "Ubiquiti", mfr: "UBIQUITI", lines: []line{
		{kind: "ap", sku: []string{"U6-@@-EU-%%", "UAP-AC-@@@-%%", "U7-PRO-%%"}, models: []string{"UniFi U6 %%", "UniFi AC %%", "UniFi U7 Pro"}},
		{kind: "switch", sku: []string{"USW-PRO-%%-POE-%%", "USW-LITE-%%-POE-%%"}, models: []string{"UniFi Switch Pro %%", "UniFi Switch Lite %%"}},
		{kind: "firewall", sku: []string{"UDM-PRO-%%", "UXG-@@@-%%"}, models: []string{"Dream Machine Pro", "Gateway %%"}},
	}},
	{name: "Fortinet", mfr: "FORTINET", eufShare: 0.4, lines: []line{
		{kind: "firewall", sku: []string{"FG-%%F", "FG-%%F-BDL-950-12", "FG-%%G-BDL-809-36"}, models: []string{"FortiGate %%F", "FortiGate %%G"}},
		{kind: "ap", sku: []string{"FAP-%%%F-E", "FAP-%%%G-E"}, models: []string{"FortiAP %%%F", "FortiAP %%%G"}},
		{kind: "switch", sku: []string{"FS-%%%E-FPOE", "FS-1%%F"}, models: []string{"FortiSwitch %%%E", "FortiSwitch 1%%F"}},
		{kind: "antivirus", sku: []string{"FC-10-00%%F-950-02-12", "FC-10-F%%%F-247-02-12"}, models: []string{"FortiGuard UTP", "FortiCare Premium"}, esd: true},
	}},
	{name: "Acer", mfr: "ACER", lines: []line{
		{kind: "monitor", sku: []string{"UM.@@%@@.%%%"}, models: []string{"Vero B2%%Q", "Nitro VG2%%", "CB2%%Y"}},
		{kind: "notebook", sku: []string{"NX.@*%@@.%%%"}, models: []string{"TravelMate P2%%", "Aspire %", "Swift Go 1%"}},
	}},
	{name: "Asus", mfr: "ASUS", lines: []line{
		{kind: "notebook", sku: []string{"90NB%*%%-M%%%%%"}, models: []string{"ExpertBook B%%%", "Vivobook 1%", "Zenbook 1%"}},
		{kind: "monitor", sku: []string{"90LM0%%%-B0%%%%"}, models: []string{"ProArt PA2%%", "VA2%%DQ", "BE2%%QL"}},
	}},
	{name: "Jabra", mfr: "JABRA", lines: []line{
		{kind: "headset", sku: []string{"%%%%-%%%-%%%", "%%%%-%%9-%%%"}, models: []string{"Evolve2 %%", "Engage %%", "Biz 2%%%"}},
		{kind: "speakerphone", sku: []string{"%%%%-%%9", "%%%%-1%%"}, models: []string{"Speak2 %%", "Speak %%%"}},
		{kind: "videobar", sku: []string{"8%%%-%%%"}, models: []string{"PanaCast %%", "PanaCast 50"}},
	}},
	{name: "Poly", mfr: "POLY", lines: []line{
		{kind: "headset", sku: []string{"%%@%%AA", "%%@%%A6"}, models: []string{"Voyager Focus %", "Blackwire %%%%", "Savi %%%%"}},
		{kind: "speakerphone", sku: []string{"2200-%%%%%-%%%"}, models: []string{"Sync %%", "Calisto %%%%"}},
		{kind: "videobar", sku: []string{"2200-%%%%%-%%%", "%%@%%AA#ABB"}, models: []string{"Studio X%%", "Studio R30"}},
	}},
	{name: "Epson", mfr: "EPSON", lines: []line{
		{kind: "inkjet", sku: []string{"C11C@%%%%%", "C11C@%%%%%BY"}, models: []string{"EcoTank ET-%%%%", "WorkForce Pro WF-C%%%%"}},
		{kind: "toner", sku: []string{"C13T%%%%%%", "C13S0%%%%%"}, models: []string{"%%%", "T%%%%"}},
	}},
	{name: "Brother", mfr: "BROTHER", lines: []line{
		{kind: "laser", sku: []string{"HLL%%%%DW", "MFCL%%%%CDW", "DCPL%%%%DW"}, models: []string{"HL-L%%%%DW", "MFC-L%%%%CDW", "DCP-L%%%%DW"}},
		{kind: "toner", sku: []string{"TN%%%%", "TN%%%%XL"}, models: []string{"TN-%%%%", "TN-%%%%XL"}},
	}},
	{name: "Kaspersky", mfr: "KASPERSKY", lines: []line{
		{kind: "antivirus", sku: []string{"KL%%%%X@@FS", "KL%%%%X@@FR"}, models: []string{"Endpoint Security for Business Select", "Small Office Security", "Next EDR Foundations"}, esd: true},
	}},
	{name: "ESET", mfr: "ESET", lines: []line{
		{kind: "antivirus", sku: []string{"EPE%%-N%%-%Y", "EPA%%-N%%-%Y"}, models: []string{"PROTECT Entry", "PROTECT Advanced", "PROTECT Complete"}, esd: true},
	}},
	{name: "Adobe", mfr: "ADOBE", lines: []line{
		{kind: "creative", sku: []string{"6%%%%%%%BA01A12", "6%%%%%%%BC01A12"}, models: []string{"Acrobat Pro for teams", "Creative Cloud for teams", "Photoshop for teams"}, esd: true},
	}},
	{name: "Veeam", mfr: "VEEAM", lines: []line{
		{kind: "backup", sku: []string{"V-VBR@@@-VS-P0%%%-00", "V-VDP@@@-0I-SU1YP-00"}, models: []string{"Backup & Replication Enterprise", "Data Platform Foundation"}, esd: true},
	}},
}

var logicomCategories = []LogicomCategory{
	{"100", "Personal Computing Systems", ""},
	{"100-10", "Desktop & Workstation", "100"},
	{"100-10-1", "Desktops", "100-10"},
	{"100-10-2", "Workstations", "100-10"},
	{"100-10-5", "All-in One", "100-10"},
	{"100-20", "Notebooks & Tablets", "100"},
	{"100-20-1", "Notebooks", "100-20"},
	{"100-20-2", "Tablets", "100-20"},
	{"100-30", "Displays", "100"},
	{"100-30-1", "Monitors", "100-30"},
	{"200", "Networking", ""},
	{"200-10", "Switches", "200"},
	{"200-10-1", "Managed Switches", "200-10"},
	{"200-10-2", "Unmanaged Switches", "200-10"},
	{"200-20", "Wireless", "200"},
	{"200-20-1", "Access Points", "200-20"},
	{"200-30", "Network Security", "200"},
	{"200-30-1", "Firewalls", "200-30"},
	{"300", "Storage", ""},
	{"300-10", "Internal Drives", "300"},
	{"300-10-1", "Hard Drives", "300-10"},
	{"300-10-2", "Solid State Drives", "300-10"},
	{"300-20", "Memory", "300"},
	{"300-20-1", "Memory Modules", "300-20"},
	{"300-30", "External Storage", "300"},
	{"300-30-1", "External Drives", "300-30"},
	{"400", "Software", ""},
	{"400-10", "Security Software", "400"},
	{"400-10-1", "Antivirus & Endpoint", "400-10"},
	{"400-20", "Operating Systems & Office", "400"},
	{"400-20-1", "Software License & Upgrade", "400-20"},
	{"400-30", "Backup & Recovery", "400"},
	{"400-30-1", "Backup Software", "400-30"},
	{"400-40", "Creative & Document", "400"},
	{"400-40-1", "Creative Software", "400-40"},
	{"500", "Peripherals", ""},
	{"500-10", "Input Devices", "500"},
	{"500-10-1", "Keyboards", "500-10"},
	{"500-10-2", "Mice", "500-10"},
	{"500-20", "Printing", "500"},
	{"500-20-1", "Laser Printers", "500-20"},
	{"500-20-2", "Inkjet Printers", "500-20"},
	{"500-20-3", "Toner & Ink", "500-20"},
	{"500-30", "Audio", "500"},
	{"500-30-1", "Headsets", "500-30"},
	{"500-40", "Video", "500"},
	{"500-40-1", "Webcams", "500-40"},
	{"600", "Power Protection", ""},
	{"600-10", "UPS Systems", "600"},
	{"600-10-1", "UPS", "600-10"},
	{"1100", "AudioVisual", ""},
	{"1100-10", "Audio & Video", "1100"},
	{"1100-10-1", "Speakerphone", "1100-10"},
	{"1100-10-2", "Video Conferencing", "1100-10"},
}

var hpHash = []string{"#ABB", "#BGX", "#ABU", "#UUZ", "#B19"}

func (g *gen) logicom(count int) LogicomData {
	d := LogicomData{}
	d.Account = LogicomAccount{
		CustomerID:     1422,
		ConsumerKey:    g.secret(64),
		ConsumerSecret: g.secret(64),
		AccessTokenKey: g.secret(32),
		EcommerceName:  "Sandbox Reseller AS",
		EcommerceEmail: "purchasing@sandbox-reseller.example",
		Currencies:     []string{"EUR", "USD"},
		Billing: LogicomAddress{ID: "BILLING", Name: "Sandbox Reseller AS", Address1: "Karl Johans gate 12",
			Address2: "4th floor", City: "Oslo", ZipCode: "0154", Country: "Norway", CountryCode: "NO", Phone: "+4722000000"},
		ShipTo: []LogicomAddress{
			{ID: "DEFAULT", Name: "Sandbox Reseller AS", Address1: "Karl Johans gate 12", Address2: "Goods reception",
				City: "Oslo", ZipCode: "0154", Country: "Norway", CountryCode: "NO", Phone: "+4722000000"},
			{ID: "WH-OSLO", Name: "Sandbox Reseller AS Warehouse", Address1: "Alnabruveien 40", Address2: "Gate 3",
				City: "Oslo", ZipCode: "0668", Country: "Norway", CountryCode: "NO", Phone: "+4722000100"},
			{ID: "WH-BERGEN", Name: "Sandbox Reseller AS Bergen", Address1: "Kokstadvegen 23", Address2: "",
				City: "Bergen", ZipCode: "5257", Country: "Norway", CountryCode: "NO", Phone: "+4755000200"},
		},
	}
	d.Categories = append([]LogicomCategory(nil), logicomCategories...)
	for _, b := range logicomBrands {
		d.Brands = append(d.Brands, LogicomBrand{ID: strings.ReplaceAll(b.mfr, " ", ""), Name: b.mfr})
	}
	d.Items = make([]LogicomItem, 0, count)
	for i := 0; i < count; i++ {
		b := &logicomBrands[i%len(logicomBrands)]
		if i >= len(logicomBrands)*60 { // tail: weighted towards big hardware brands
			b = &logicomBrands[g.intn(len(logicomBrands))]
		}
		d.Items = append(d.Items, g.logicomItem(b))
	}
	return d
}

func (g *gen) logicomItem(b *brandDef) LogicomItem {
	ln := b.lines[g.intn(len(b.lines))]
	k := kinds[ln.kind]
	sku := g.pick(ln.sku)
	if b.hashSuffix && g.chance(0.3) {
		sku += g.pick(hpHash)
	}
	sku = g.uniqueCode(sku)
	model := g.fill(g.pick(ln.models))
	attr := g.pick(k.attrs)
	esd := ln.esd || k.software

	it := LogicomItem{
		SKU:          sku,
		Manufacturer: b.mfr,
		Brand:        b.mfr,
		CategoryID:   k.cat,
		Warranty:     g.pick(k.warranty),
		VATPercent:   19,
		ESD:          esd,
	}
	if esd {
		it.Name = fmt.Sprintf("%s %s %s %s ESD", b.name, model, attr, k.noun)
	} else {
		it.Name = fmt.Sprintf("%s %s %s - %s", b.name, attr, k.noun, model)
	}
	it.Specifications = append(it.Specifications, Spec{k.attrName, attr})
	for _, s := range k.specs {
		it.Specifications = append(it.Specifications, Spec{s.name, g.pick(s.values)})
	}
	// What a salesperson types is in the name: colour and keyboard layout
	// too (the specifications picked above; no extra draws, so the SKUs of
	// a seed stay as they were).
	for _, s := range it.Specifications[1:] {
		switch s.Name {
		case "Product colour":
			it.Name += ", " + s.Value
		case "Keyboard layout":
			it.Name += ", " + s.Value + " layout"
		}
	}
	parts := make([]string, len(it.Specifications))
	for i, s := range it.Specifications {
		parts[i] = s.Name + ": " + s.Value
	}
	it.Description = fmt.Sprintf("%s %s %s. %s.", b.mfr, model, k.noun, strings.Join(parts, ", "))
	if !esd && g.chance(0.9) {
		it.Barcode = g.ean13()
	}
	enc := url.PathEscape(sku)
	for n := g.between(1, 4); n > 0; n-- {
		it.ImageURLs = append(it.ImageURLs, fmt.Sprintf("https://images.sandbox.example/logicom/medium/%s~%d.jpg", enc, len(it.ImageURLs)+1))
	}
	it.URL = "https://shop.sandbox.example/logicom/product/" + enc
	it.EndUserForm = b.eufShare > 0 && g.chance(b.eufShare)
	it.Discontinued = g.chance(0.03)
	if !esd && g.chance(0.015) {
		for v := 1; v <= 2; v++ {
			it.Variants = append(it.Variants, LogicomVariant{VariantID: fmt.Sprintf("%s-V%d", sku, v), Name: fmt.Sprintf("%s variant %d", model, v)})
		}
	}
	it.Modified = g.today.Add(-time.Duration(g.intn(730*24*3600)) * time.Second)

	// Prices.
	eur := g.logPrice(k.lo, k.hi)
	p := LogicomPrice{Price: eur}
	if g.chance(0.6) {
		p.RRP = round2(eur * (1.15 + 0.3*g.r.Float64()))
		p.DiscountPct = round2((p.RRP - eur) / p.RRP * 100)
	}
	if !esd && g.chance(0.3) {
		p.RecycleTax = round2(0.2 + 4.8*g.r.Float64())
	}
	if g.chance(0.15) {
		qtys := [][]int{{5}, {5, 10}, {5, 10, 50}, {10, 50}, {2, 10, 50}}[g.intn(5)]
		f := 1.0
		for _, q := range qtys {
			f -= 0.02 + 0.04*g.r.Float64()
			p.Volume = append(p.Volume, VolumeBreak{Quantity: q, Price: round2(eur * f)})
		}
	}
	if g.chance(0.12) {
		p.SpecialPrice = round2(eur * (0.85 + 0.1*g.r.Float64()))
		switch g.intn(3) {
		case 0: // valid today
			p.SpecialStart, p.SpecialEnd = g.days(-20, 0), g.days(0, 30)
		case 1: // expired
			p.SpecialStart, p.SpecialEnd = g.days(-90, -40), g.days(-30, -1)
		default: // future
			p.SpecialStart, p.SpecialEnd = g.days(1, 20), g.days(21, 60)
		}
	}
	it.Prices = map[string]LogicomPrice{"EUR": p, "USD": p.scaled(USDPerEUR)}

	// Stock.
	switch {
	case esd:
		it.Stock = 999
	case it.Discontinued:
		it.Stock = 0
	case g.chance(0.2):
		it.Stock = 0
		if g.chance(0.6) {
			it.Incoming = g.pos()
		}
	default:
		it.Stock = g.between(1, 40)
		if g.chance(0.3) {
			it.Stock = g.between(41, 600)
		}
		if g.chance(0.1) {
			it.Incoming = g.pos()
		}
	}
	return it
}

func (g *gen) pos() []PurchaseOrder {
	n := 1
	if g.chance(0.35) {
		n = 2
	}
	var out []PurchaseOrder
	day := 0
	for i := 0; i < n; i++ {
		day += g.between(3, 30)
		out = append(out, PurchaseOrder{Quantity: g.between(5, 400), DeliveryDate: g.today.AddDate(0, 0, day)})
	}
	return out
}

func (p LogicomPrice) scaled(f float64) LogicomPrice {
	q := p
	q.Price = round2(p.Price * f)
	q.RRP = round2(p.RRP * f)
	q.SpecialPrice = round2(p.SpecialPrice * f)
	q.RecycleTax = round2(p.RecycleTax * f)
	q.Volume = make([]VolumeBreak, len(p.Volume))
	for i, v := range p.Volume {
		q.Volume[i] = VolumeBreak{v.Quantity, round2(v.Price * f)}
	}
	if len(p.Volume) == 0 {
		q.Volume = nil
	}
	return q
}

// SpecialValid reports whether the special price applies on day (inclusive,
// by UTC day).
func (p LogicomPrice) SpecialValid(day time.Time) bool {
	if p.SpecialPrice <= 0 {
		return false
	}
	d := day.UTC()
	d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return !d.Before(p.SpecialStart) && !d.After(p.SpecialEnd)
}

// Effective is the unit price for qty on day per distributors.md: the
// highest volume break whose Quantity ≤ qty, the special price when valid,
// the lower one wins.
func (p LogicomPrice) Effective(qty int, day time.Time) float64 {
	best := p.Price
	for _, v := range p.Volume {
		if v.Quantity <= qty && v.Price < best {
			best = v.Price
		}
	}
	if p.SpecialValid(day) && p.SpecialPrice < best {
		best = p.SpecialPrice
	}
	return best
}

// Item returns the Logicom item with the SKU (case-insensitive).
func (d *LogicomData) Item(sku string) (*LogicomItem, bool) {
	for i := range d.Items {
		if strings.EqualFold(d.Items[i].SKU, sku) {
			return &d.Items[i], true
		}
	}
	return nil, false
}

// Category returns the category with the id.
func (d *LogicomData) Category(id string) (LogicomCategory, bool) {
	for _, c := range d.Categories {
		if c.ID == id {
			return c, true
		}
	}
	return LogicomCategory{}, false
}

// Product returns the Nuvias product with the id.
func (d *NuviasData) Product(id int) (*NuviasProduct, bool) {
	i := id - NuviasFirstID
	if i >= 0 && i < len(d.Products) && d.Products[i].ID == id {
		return &d.Products[i], true
	}
	for i := range d.Products {
		if d.Products[i].ID == id {
			return &d.Products[i], true
		}
	}
	return nil, false
}

// ---- Nuvias ----

type nuviasVendorDef struct {
	name   string
	lines  []nline
	shared string // Logicom manufacturer whose items Nuvias also stocks
}

type nline struct {
	typ    string // Hardware, Software, Subscription, Service
	code   string
	name   string
	lo, hi float64
}

var nuviasVendors = []nuviasVendorDef{
	{name: "Jabra", shared: "JABRA", lines: []nline{{"Hardware", "%%%%-%%%-%%%", "Jabra Evolve2 %% Headset", 60, 380}, {"Service", "JBR-SVC-%%%%", "Jabra Care Plus %yr", 10, 60}}},
	{name: "Poly", shared: "POLY", lines: []nline{{"Hardware", "%%@%%AA#AC3", "Poly Voyager %%%% UC Headset", 90, 420}, {"Service", "PLY-PP-%%%%%", "Poly+ Partner Premier %yr", 40, 400}}},
	{name: "Yealink", lines: []nline{{"Hardware", "SIP-T%%W-%%", "Yealink SIP-T%%W IP Phone", 60, 320}, {"Hardware", "W%%P-%%", "Yealink W%%P DECT Phone", 70, 260}, {"Hardware", "MVC%%%-C%-%%%", "Yealink MVC%%% Teams Room Kit", 1200, 6000}}},
	{name: "Fortinet", shared: "FORTINET", lines: []nline{{"Hardware", "FG-%%F-EU%%", "FortiGate %%F Appliance", 400, 6000}, {"Subscription", "FC-10-%%%%%-950-02-%%", "FortiGuard Unified Threat Protection %%F", 100, 3000}, {"Service", "FP-10-PS00%-%%%-02-%%", "Fortinet Professional Services %% days", 800, 6000}}},
	{name: "Sophos", lines: []nline{{"Hardware", "XG%%%T%", "Sophos XGS %%%% Firewall", 500, 9000}, {"Subscription", "CIX%%C%MSEAA", "Sophos Central Intercept X Advanced %%-%% users", 20, 60}, {"Software", "SF%%%C%ESEAA", "Sophos Firewall Xstream Protection %yr", 300, 5000}}},
	{name: "WatchGuard", lines: []nline{{"Hardware", "WGT%%%%%", "WatchGuard Firebox T%% Appliance", 400, 3500}, {"Subscription", "WGT%%%%%-EU", "WatchGuard Total Security Suite %yr", 200, 2500}}},
	{name: "Cisco", shared: "CISCO", lines: []nline{{"Hardware", "CP-%%%%-3PCC-K9=", "Cisco IP Phone %%%% 3PCC", 90, 400}, {"Subscription", "WEBEX-%%-NU", "Webex Suite Named User %%", 8, 30}, {"Service", "CON-SNT-%%%%%%%%", "Cisco SMARTnet 8x5xNBD %yr", 50, 900}}},
	{name: "Ubiquiti", shared: "UBIQUITI", lines: []nline{{"Hardware", "UVC-G%-@@@@", "UniFi Protect G% Camera", 120, 480}}},
	{name: "Logitech", shared: "LOGITECH", lines: []nline{{"Hardware", "952-%%%%%%", "Logitech Tap Scheduler %%", 400, 900}}},
	{name: "APC", shared: "APC", lines: []nline{{"Service", "WEXTWAR%YR-SP-0%", "APC Extended Warranty %yr", 40, 400}}},
	{name: "Microsoft", shared: "MICROSOFT", lines: []nline{{"Subscription", "CFQ7TTC0L%%@:00%%", "Microsoft 365 Business Premium (NCE) %%", 200, 300}, {"Subscription", "CFQ7TTC0LH%@:00%%", "Teams Phone Standard (NCE) %%", 80, 110}}},
	{name: "Mitel", lines: []nline{{"Hardware", "5%%%%%%", "Mitel %%%%i IP Phone", 80, 400}, {"Software", "5%%%%%%-L", "Mitel MiVoice Business User Licence %%", 30, 200}}},
	{name: "Snom", lines: []nline{{"Hardware", "D7%%-%%%%", "Snom D7%% Desk Phone", 70, 300}}},
	{name: "Barracuda", lines: []nline{{"Hardware", "BBF%%%A", "Barracuda CloudGen Firewall F%%", 600, 5000}, {"Subscription", "BEO%%%A-E%", "Barracuda Email Protection %% users", 100, 1500}}},
	{name: "Lenovo", shared: "LENOVO"},
	{name: "HP", shared: "HP"},
	{name: "Dell", shared: "DELL"},
	{name: "Samsung", shared: "SAMSUNG"},
	{name: "Kaspersky", shared: "KASPERSKY"},
	{name: "Veeam", shared: "VEEAM"},
}

var shippingTypes = []NuviasShippingType{{1, "Standard"}, {2, "Next day"}, {3, "Collection"}, {4, "Express AM"}}

func (g *gen) nuvias(ld *LogicomData) NuviasData {
	d := NuviasData{
		Credentials: NuviasCredentials{ClientID: "sandbox-" + g.hex(12), ClientSecret: g.secret(24)},
		Me: NuviasMe{UserID: 4242, Name: "Sandbox Buyer", Email: "buyer@sandbox-reseller.example",
			Currency: "EUR", OrganisationID: 777, OrganisationName: "Sandbox Reseller AS"},
		Addresses: []NuviasAddress{
			{ID: 9101, Name: "Head office", Line1: "Karl Johans gate 12", Line2: "4th floor", City: "Oslo", Postcode: "0154", Country: "Norway", ISO: "NO"},
			{ID: 9102, Name: "Warehouse Oslo", Line1: "Alnabruveien 40", Line2: "Gate 3", City: "Oslo", Postcode: "0668", Country: "Norway", ISO: "NO"},
			{ID: 9103, Name: "Bergen office", Line1: "Kokstadvegen 23", City: "Bergen", Postcode: "5257", Country: "Norway", ISO: "NO"},
		},
		ShippingTypes: append([]NuviasShippingType(nil), shippingTypes...),
	}
	vendorByMfr := map[string]int{}
	var ownVendors []int // indexes into nuviasVendors with own lines
	for i, v := range nuviasVendors {
		id := 100 + 7*i
		d.Vendors = append(d.Vendors, NuviasVendor{ID: id, Name: v.name})
		if v.shared != "" {
			vendorByMfr[v.shared] = id
		}
		if len(v.lines) > 0 {
			ownVendors = append(ownVendors, i)
		}
	}

	// Shared part numbers: Logicom hardware items of vendors Nuvias carries.
	var cand []int
	for i := range ld.Items {
		it := &ld.Items[i]
		if _, ok := vendorByMfr[it.Manufacturer]; ok && !it.ESD && !it.Discontinued && len(it.Variants) == 0 {
			cand = append(cand, i)
		}
	}
	g.r.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
	if len(cand) > SharedPartCount {
		cand = cand[:SharedPartCount]
	}
	prods := make([]NuviasProduct, 0, len(cand)+NuviasOwnCount)
	for n, idx := range cand {
		it := &ld.Items[idx]
		lp := it.Prices["EUR"].Effective(1, g.today)
		var np float64
		switch n % 10 {
		case 0, 1, 2, 3: // Logicom cheaper
			np = lp * (1.03 + 0.09*g.r.Float64())
		case 4, 5, 6, 7: // Nuvias cheaper
			np = lp * (0.88 + 0.09*g.r.Float64())
		case 8: // Nuvias cheaper but out of stock at Nuvias
			np = lp * (0.90 + 0.05*g.r.Float64())
		case 9: // Logicom cheaper but out of stock at Logicom
			np = lp * (1.05 + 0.05*g.r.Float64())
		}
		stock := g.between(1, 120)
		switch n % 10 {
		case 8:
			stock = 0
			if it.Stock == 0 {
				it.Stock = g.between(2, 60)
			}
		case 9:
			it.Stock = 0
			it.Incoming = g.pos()
		default:
			if g.chance(0.1) {
				stock = 0
			}
		}
		k := kindByCat(it.CategoryID)
		prods = append(prods, NuviasProduct{
			ProductCode:         it.SKU,
			Name:                it.Name,
			Description:         it.Name,
			DetailedDescription: it.Description,
			VendorID:            vendorByMfr[it.Manufacturer],
			ProductType:         map[bool]string{true: "Software", false: "Hardware"}[k.software],
			Price:               round2(np),
			RRP:                 round2(np * (1.2 + 0.2*g.r.Float64())),
			Currency:            "EUR",
			Stock:               stock,
			Discountable:        !g.chance(0.15),
		})
	}
	for n := 0; n < NuviasOwnCount; n++ {
		vi := ownVendors[n%len(ownVendors)]
		v := nuviasVendors[vi]
		ln := v.lines[g.intn(len(v.lines))]
		code := g.uniqueCode(ln.code)
		price := g.logPrice(ln.lo, ln.hi)
		p := NuviasProduct{
			ProductCode:  code,
			Name:         g.fill(ln.name),
			VendorID:     d.Vendors[vi].ID,
			ProductType:  ln.typ,
			Price:        price,
			Currency:     "EUR",
			Discountable: !g.chance(0.15),
			Discontinued: g.chance(0.02),
		}
		if g.chance(0.7) {
			p.RRP = round2(price * (1.2 + 0.25*g.r.Float64()))
		}
		p.Description = p.Name
		p.DetailedDescription = fmt.Sprintf("%s (%s). %s product from %s, delivered by Nuvias.", p.Name, code, ln.typ, v.name)
		switch ln.typ {
		case "Hardware":
			if !g.chance(0.2) {
				p.Stock = g.between(1, 250)
			}
		default:
			p.Stock = 9999
		}
		if ln.typ == "Subscription" {
			p.RatePlans = []RatePlan{
				{Name: "Monthly", Unit: "month", TermMonths: 1, Price: round2(price / 12 * 1.1)},
				{Name: "Annual", Unit: "year", TermMonths: 12, Price: price},
			}
			if g.chance(0.4) {
				p.RatePlans = append(p.RatePlans, RatePlan{Name: "3 years", Unit: "year", TermMonths: 36, Price: round2(price * 2.8)})
			}
		}
		prods = append(prods, p)
	}
	g.r.Shuffle(len(prods), func(i, j int) { prods[i], prods[j] = prods[j], prods[i] })
	rp := 5001
	for i := range prods {
		p := &prods[i]
		p.ID = NuviasFirstID + i
		p.ThumbURL = fmt.Sprintf("https://images.sandbox.example/nuvias/%d/thumb.jpg", p.ID)
		p.MainImageURL = fmt.Sprintf("https://images.sandbox.example/nuvias/%d/main.jpg", p.ID)
		esc := url.PathEscape(p.ProductCode)
		p.DatasheetURL = "https://docs.sandbox.example/nuvias/" + esc + "/datasheet.pdf"
		if g.chance(0.5) {
			p.GuideURL = "https://docs.sandbox.example/nuvias/" + esc + "/guide.pdf"
		}
		for j := range p.RatePlans {
			p.RatePlans[j].ID = rp
			rp++
		}
	}
	d.Products = prods
	return d
}

func kindByCat(cat string) kind {
	for _, k := range kinds {
		if k.cat == cat {
			return k
		}
	}
	return kind{}
}

// ---- Westcon ----

var westconStatus = map[string]string{"OPN": "Open", "BCK": "Backorder", "SHI": "Shipped", "INV": "Invoiced"}

func (g *gen) westcon(c *Catalog) WestconData {
	d := WestconData{Credentials: WestconCredentials{
		TenantID:        fmt.Sprintf("%s-%s-4%s-a%s-%s", g.hex(8), g.hex(4), g.hex(3), g.hex(3), g.hex(12)),
		ClientID:        fmt.Sprintf("%s-%s-4%s-b%s-%s", g.hex(8), g.hex(4), g.hex(3), g.hex(3), g.hex(12)),
		ClientSecret:    g.secret(30),
		Resource:        "api://westcon-sandbox-orderstatus",
		SubscriptionKey: g.hex(32),
		PartnerKey:      "SBX" + fmt.Sprint(g.between(100000, 999999)),
	}}
	// Part numbers: mostly shared ones, some Logicom-only, some Nuvias-only.
	var shared, lonly, nonly []string
	nset := map[string]bool{}
	for _, p := range c.Nuvias.Products {
		nset[strings.ToUpper(p.ProductCode)] = true
	}
	for _, it := range c.Logicom.Items {
		if it.ESD {
			continue
		}
		if nset[strings.ToUpper(it.SKU)] {
			shared = append(shared, it.SKU)
		} else if len(lonly) < 200 {
			lonly = append(lonly, it.SKU)
		}
	}
	sset := map[string]bool{}
	for _, s := range shared {
		sset[strings.ToUpper(s)] = true
	}
	for _, p := range c.Nuvias.Products {
		if p.ProductType == "Hardware" && !strings.Contains(p.ProductCode, "#") && len(nonly) < 200 && !sset[strings.ToUpper(p.ProductCode)] {
			nonly = append(nonly, p.ProductCode)
		}
	}
	// Fixed status mixes for the first orders, random after.
	mixes := [][]string{{"INV", "INV"}, {"SHI", "BCK", "OPN"}, {"OPN"}, {"BCK", "BCK"}, {"SHI"}, {"INV", "SHI", "OPN", "BCK"}}
	all := []string{"OPN", "BCK", "SHI", "INV"}
	for i := 0; i < WestconOrderCount; i++ {
		o := WestconOrder{WestconNumber: fmt.Sprintf("6000%06d", 123456+i*7919%1000000)}
		switch i % 3 {
		case 0:
			o.CustomerNumber = fmt.Sprintf("Q-%d", 1001+i)
		case 1:
			o.CustomerNumber = fmt.Sprintf("SO-%d-%04d", g.today.Year(), 7+i)
		default:
			o.CustomerNumber = fmt.Sprint(2001 + i) // a bare quote version number
		}
		var sts []string
		if i < len(mixes) {
			sts = mixes[i]
		} else {
			for n := g.between(1, 4); n > 0; n-- {
				sts = append(sts, g.pick(all))
			}
		}
		orderDay := g.between(-60, -2)
		for j, st := range sts {
			pn := g.pick(shared)
			switch {
			case j%3 == 1 && len(lonly) > 0:
				pn = g.pick(lonly)
			case j%3 == 2 && len(nonly) > 0:
				pn = g.pick(nonly)
			}
			ln := WestconLine{
				LineNumber:        fmt.Sprintf("%06d", (j+1)*10),
				ProductNumber:     pn,
				Quantity:          float64(g.between(1, 20)),
				UnitOfMeasure:     "EA",
				StatusCode:        st,
				StatusDescription: westconStatus[st],
				StatusDate:        g.today.AddDate(0, 0, orderDay+g.between(0, -orderDay)),
			}
			if st == "SHI" || st == "INV" {
				ln.ShipDate = ln.StatusDate
			}
			if st == "INV" {
				ln.BillingDocument = fmt.Sprintf("90%08d", 1000000+i*100+j)
			}
			o.Lines = append(o.Lines, ln)
		}
		d.Orders = append(d.Orders, o)
	}
	return d
}
