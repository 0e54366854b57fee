package quote

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// tol is the comparison tolerance of §9.6.
const tol = 0.01

// TestCalculateLineWorkedExample checks every row of §9.5: UnitListPrice
// 13.00, UnitCost 10.00, one master value each.
func TestCalculateLineWorkedExample(t *testing.T) {
	type want struct {
		subTotal, discountAmount, discountPercent, totalPrice, earningAmount, earningPercent float64
	}
	cases := []struct {
		name     string
		quantity float64
		override superoffice.ValueOverride
		set      func(*superoffice.QuoteLineInfo)
		want     want
	}{
		{"1 qty 10 DiscountPercent 10", 10, superoffice.OverrideDiscountPercent,
			func(l *superoffice.QuoteLineInfo) { l.DiscountPercent = 10 },
			want{130, 13, 10, 117, 17, 14.53}},
		{"2 qty 100 DiscountPercent 10", 100, superoffice.OverrideDiscountPercent,
			func(l *superoffice.QuoteLineInfo) { l.DiscountPercent = 10 },
			want{1300, 130, 10, 1170, 170, 14.53}},
		{"3 DiscountAmount 100", 100, superoffice.OverrideDiscountAmount,
			func(l *superoffice.QuoteLineInfo) { l.DiscountAmount = 100 },
			want{1300, 100, 7.69, 1200, 200, 16.67}},
		{"4 TotalPrice 1100", 100, superoffice.OverrideTotal,
			func(l *superoffice.QuoteLineInfo) { l.TotalPrice = 1100 },
			want{1300, 200, 15.38, 1100, 100, 9.09}},
		{"5 EarningAmount 150", 100, superoffice.OverrideEarningAmount,
			func(l *superoffice.QuoteLineInfo) { l.EarningAmount = 150 },
			want{1300, 150, 11.54, 1150, 150, 13.04}},
		{"6 EarningPercent 20", 100, superoffice.OverrideEarningPercent,
			func(l *superoffice.QuoteLineInfo) { l.EarningPercent = 20 },
			want{1300, 50, 3.85, 1250, 250, 20}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := &superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: tc.quantity, UserValueOverride: tc.override}
			tc.set(l)
			CalculateLine(l)
			assert.InDelta(t, tc.want.subTotal, l.SubTotal, tol, "SubTotal")
			assert.InDelta(t, tc.want.discountAmount, l.DiscountAmount, tol, "DiscountAmount")
			assert.InDelta(t, tc.want.discountPercent, l.DiscountPercent, tol, "DiscountPercent")
			assert.InDelta(t, tc.want.totalPrice, l.TotalPrice, tol, "TotalPrice")
			assert.InDelta(t, tc.want.earningAmount, l.EarningAmount, tol, "EarningAmount")
			assert.InDelta(t, tc.want.earningPercent, l.EarningPercent, tol, "EarningPercent")
			assert.Equal(t, tc.override, l.UserValueOverride, "the connector never changes the master")
			assert.InDelta(t, l.TotalPrice, l.TotalPriceWithAlternativeDiscount, tol)

			// A second pass keeps everything (the master is stable).
			before := *l
			CalculateLine(l)
			assert.InDelta(t, before.TotalPrice, l.TotalPrice, 1e-9)
			assert.InDelta(t, before.DiscountPercent, l.DiscountPercent, 1e-9)
		})
	}
}

// workedAlternative is the alternative example of §9.5 (UnitListPrice 200,
// UnitCost 100).
func workedAlternative() *superoffice.QuoteAlternativeWithLinesInfo {
	return &superoffice.QuoteAlternativeWithLinesInfo{
		CRMAlternative: &superoffice.QuoteAlternativeInfo{},
		CRMQuoteLines: []*superoffice.QuoteLineInfo{
			{Name: "A", UnitListPrice: 200, UnitCost: 100, Quantity: 2, UserValueOverride: superoffice.OverrideDiscountPercent, DiscountPercent: 15},
			{Name: "B", UnitListPrice: 200, UnitCost: 100, Quantity: 1, UserValueOverride: superoffice.OverrideTotal, TotalPrice: 180},
			{Name: "C", UnitListPrice: 200, UnitCost: 100, Quantity: 6, UserValueOverride: superoffice.OverrideNone},
		},
	}
}

func TestCalculateAlternativeWorkedExample(t *testing.T) {
	t.Run("lines", func(t *testing.T) {
		a := workedAlternative()
		CalculateAlternative(a)
		want := []struct{ totalPrice, totalCost, earningPercent float64 }{
			{340, 200, 41.18},
			{180, 100, 44.44},
			{1200, 600, 50},
		}
		for i, w := range want {
			l := a.CRMQuoteLines[i]
			assert.InDelta(t, w.totalPrice, l.TotalPrice, tol, "line %s TotalPrice", l.Name)
			assert.InDelta(t, w.totalCost, l.UnitCost*l.Quantity, tol, "line %s TotalCost", l.Name)
			assert.InDelta(t, w.earningPercent, l.EarningPercent, tol, "line %s EarningPercent", l.Name)
		}
	})
	t.Run("no discount", func(t *testing.T) {
		a := workedAlternative()
		CalculateAlternative(a)
		alt := a.CRMAlternative
		assert.InDelta(t, 1720, alt.SubTotal, tol)
		assert.InDelta(t, 1720, alt.TotalPrice, tol)
		assert.InDelta(t, 0, alt.DiscountAmount, tol)
		assert.InDelta(t, 820, alt.EarningAmount, tol)
		assert.InDelta(t, 47.67, alt.EarningPercent, tol)
		for _, l := range a.CRMQuoteLines {
			assert.InDelta(t, l.TotalPrice, l.TotalPriceWithAlternativeDiscount, tol)
		}
	})
	t.Run("DiscountPercent 5", func(t *testing.T) {
		a := workedAlternative()
		a.CRMAlternative.UserValueOverride = superoffice.OverrideDiscountPercent
		a.CRMAlternative.DiscountPercent = 5
		CalculateAlternative(a)
		alt := a.CRMAlternative
		assert.InDelta(t, 1720, alt.SubTotal, tol)
		assert.InDelta(t, 86, alt.DiscountAmount, tol)
		assert.InDelta(t, 5, alt.DiscountPercent, tol)
		assert.InDelta(t, 1634, alt.TotalPrice, tol)
		assert.InDelta(t, 734, alt.EarningAmount, tol)
		assert.InDelta(t, 44.92, alt.EarningPercent, tol)
		for i, w := range []float64{323, 171, 1140} {
			assert.InDelta(t, w, a.CRMQuoteLines[i].TotalPriceWithAlternativeDiscount, tol, "line %d", i)
		}
	})
	t.Run("alternative masters", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			set  func(*superoffice.QuoteAlternativeInfo)
			want float64 // TotalPrice
		}{
			{"DiscountAmount 86", func(a *superoffice.QuoteAlternativeInfo) {
				a.UserValueOverride, a.DiscountAmount = superoffice.OverrideDiscountAmount, 86
			}, 1634},
			{"TotalPrice 1634", func(a *superoffice.QuoteAlternativeInfo) {
				a.UserValueOverride, a.TotalPrice = superoffice.OverrideTotal, 1634
			}, 1634},
			{"EarningAmount 734", func(a *superoffice.QuoteAlternativeInfo) {
				a.UserValueOverride, a.EarningAmount = superoffice.OverrideEarningAmount, 734
			}, 1634},
			{"EarningPercent 50", func(a *superoffice.QuoteAlternativeInfo) {
				a.UserValueOverride, a.EarningPercent = superoffice.OverrideEarningPercent, 50
			}, 1800},
			{"ERP 10 percent", func(a *superoffice.QuoteAlternativeInfo) {
				a.ERPDiscountPercent = 10
			}, 1548},
		} {
			t.Run(tc.name, func(t *testing.T) {
				a := workedAlternative()
				tc.set(a.CRMAlternative)
				CalculateAlternative(a)
				alt := a.CRMAlternative
				assert.InDelta(t, tc.want, alt.TotalPrice, tol)
				assert.InDelta(t, alt.SubTotal-alt.DiscountAmount, alt.TotalPrice, tol)
				assert.InDelta(t, alt.TotalPrice-900, alt.EarningAmount, tol)
				var sum float64
				for _, l := range a.CRMQuoteLines {
					sum += l.TotalPriceWithAlternativeDiscount
				}
				assert.InDelta(t, alt.TotalPrice, sum, tol, "lines with alternative discount add up to the alternative")
			})
		}
	})
}

// TestERPCopyRule: §9.3, the ERP suggestion is refreshed always, copied only
// when the master is None.
func TestERPCopyRule(t *testing.T) {
	t.Run("None copies", func(t *testing.T) {
		l := &superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 10, ERPDiscountPercent: 10,
			DiscountPercent: 99, DiscountAmount: 99}
		CalculateLine(l)
		assert.InDelta(t, 13, l.ERPDiscountAmount, 1e-9)
		assert.InDelta(t, 10, l.DiscountPercent, 1e-9)
		assert.InDelta(t, 13, l.DiscountAmount, 1e-9)
		assert.InDelta(t, 117, l.TotalPrice, 1e-9)
	})
	t.Run("override keeps the user's discount", func(t *testing.T) {
		l := &superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 10, ERPDiscountPercent: 10,
			ERPDiscountAmount: 1, // stale: refreshed from the percent
			UserValueOverride: superoffice.OverrideDiscountPercent, DiscountPercent: 5}
		CalculateLine(l)
		assert.InDelta(t, 10, l.ERPDiscountPercent, 1e-9)
		assert.InDelta(t, 13, l.ERPDiscountAmount, 1e-9, "ERP amount refreshed")
		assert.InDelta(t, 5, l.DiscountPercent, 1e-9, "user's percent stands")
		assert.InDelta(t, 6.5, l.DiscountAmount, 1e-9)
		assert.InDelta(t, 123.5, l.TotalPrice, 1e-9)
	})
	t.Run("quantity change refreshes the ERP amount", func(t *testing.T) {
		l := &superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 10, ERPDiscountPercent: 10}
		CalculateLine(l)
		l.Quantity = 100
		CalculateLine(l)
		assert.InDelta(t, 130, l.ERPDiscountAmount, 1e-9)
		assert.InDelta(t, 130, l.DiscountAmount, 1e-9)
		assert.InDelta(t, 1170, l.TotalPrice, 1e-9)
	})
	t.Run("amount only derives the percent", func(t *testing.T) {
		l := &superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 10, ERPDiscountAmount: 26}
		CalculateLine(l)
		assert.InDelta(t, 20, l.ERPDiscountPercent, 1e-9)
		assert.InDelta(t, 26, l.ERPDiscountAmount, 1e-9)
		assert.InDelta(t, 20, l.DiscountPercent, 1e-9)
		assert.InDelta(t, 26, l.DiscountAmount, 1e-9)
		assert.InDelta(t, 104, l.TotalPrice, 1e-9)
	})
	t.Run("amount only with another master", func(t *testing.T) {
		l := &superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 10, ERPDiscountAmount: 26,
			UserValueOverride: superoffice.OverrideTotal, TotalPrice: 120}
		CalculateLine(l)
		assert.InDelta(t, 20, l.ERPDiscountPercent, 1e-9)
		assert.InDelta(t, 10, l.DiscountAmount, 1e-9)
		assert.InDelta(t, 120, l.TotalPrice, 1e-9)
	})
	t.Run("alternative", func(t *testing.T) {
		a := workedAlternative()
		a.CRMAlternative.ERPDiscountPercent = 10
		a.CRMAlternative.UserValueOverride = superoffice.OverrideDiscountAmount
		a.CRMAlternative.DiscountAmount = 20
		CalculateAlternative(a)
		assert.InDelta(t, 172, a.CRMAlternative.ERPDiscountAmount, 1e-9)
		assert.InDelta(t, 20, a.CRMAlternative.DiscountAmount, 1e-9)
		assert.InDelta(t, 1700, a.CRMAlternative.TotalPrice, 1e-9)
	})
}

func TestCalculateLineZeros(t *testing.T) {
	cases := []struct {
		name string
		line superoffice.QuoteLineInfo
		want superoffice.QuoteLineInfo // only the money fields are compared
	}{
		{"zero quantity", superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, UserValueOverride: superoffice.OverrideDiscountPercent, DiscountPercent: 10},
			superoffice.QuoteLineInfo{DiscountPercent: 10}},
		{"zero quantity, amount master", superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, UserValueOverride: superoffice.OverrideDiscountAmount, DiscountAmount: 5},
			superoffice.QuoteLineInfo{DiscountAmount: 5, TotalPrice: -5, EarningAmount: -5, EarningPercent: 100}},
		{"zero list price", superoffice.QuoteLineInfo{UnitCost: 10, Quantity: 2},
			superoffice.QuoteLineInfo{EarningAmount: -20}},
		{"zero cost", superoffice.QuoteLineInfo{UnitListPrice: 10, Quantity: 2},
			superoffice.QuoteLineInfo{SubTotal: 20, TotalPrice: 20, EarningAmount: 20, EarningPercent: 100}},
		{"earning percent 100", superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 1, UserValueOverride: superoffice.OverrideEarningPercent, EarningPercent: 100},
			superoffice.QuoteLineInfo{SubTotal: 13, DiscountAmount: 13, DiscountPercent: 100, EarningAmount: -10, EarningPercent: 100}},
		{"earning percent with zero cost", superoffice.QuoteLineInfo{UnitListPrice: 13, Quantity: 1, UserValueOverride: superoffice.OverrideEarningPercent, EarningPercent: 20},
			superoffice.QuoteLineInfo{SubTotal: 13, DiscountAmount: 13, DiscountPercent: 100, EarningPercent: 20}},
		{"total master, zero subtotal", superoffice.QuoteLineInfo{UnitCost: 1, Quantity: 1, UserValueOverride: superoffice.OverrideTotal, TotalPrice: 5},
			superoffice.QuoteLineInfo{DiscountAmount: -5, TotalPrice: 5, EarningAmount: 4, EarningPercent: 80}},
		{"ERP amount, zero subtotal", superoffice.QuoteLineInfo{ERPDiscountAmount: 5},
			superoffice.QuoteLineInfo{ERPDiscountAmount: 5, DiscountAmount: 5, TotalPrice: -5, EarningAmount: -5, EarningPercent: 100}},
		{"all zero", superoffice.QuoteLineInfo{}, superoffice.QuoteLineInfo{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := tc.line
			CalculateLine(&l)
			w := tc.want
			assert.InDelta(t, w.SubTotal, l.SubTotal, 1e-9, "SubTotal")
			assert.InDelta(t, w.ERPDiscountAmount, l.ERPDiscountAmount, 1e-9, "ERPDiscountAmount")
			assert.InDelta(t, w.ERPDiscountPercent, l.ERPDiscountPercent, 1e-9, "ERPDiscountPercent")
			assert.InDelta(t, w.DiscountAmount, l.DiscountAmount, 1e-9, "DiscountAmount")
			assert.InDelta(t, w.DiscountPercent, l.DiscountPercent, 1e-9, "DiscountPercent")
			assert.InDelta(t, w.TotalPrice, l.TotalPrice, 1e-9, "TotalPrice")
			assert.InDelta(t, w.EarningAmount, l.EarningAmount, 1e-9, "EarningAmount")
			assert.InDelta(t, w.EarningPercent, l.EarningPercent, 1e-9, "EarningPercent")
			assertFinite(t, &l)
		})
	}
}

func TestCalculateNilSafe(t *testing.T) {
	require.NotPanics(t, func() {
		CalculateLine(nil)
		CalculateAlternative(nil)
		CalculateAlternative(&superoffice.QuoteAlternativeWithLinesInfo{})
		CalculateAlternative(&superoffice.QuoteAlternativeWithLinesInfo{CRMQuoteLines: []*superoffice.QuoteLineInfo{nil, {Quantity: 1, UnitListPrice: 2}}})
	})
	a := &superoffice.QuoteAlternativeWithLinesInfo{CRMAlternative: &superoffice.QuoteAlternativeInfo{
		UserValueOverride: superoffice.OverrideDiscountAmount, DiscountAmount: 10}}
	CalculateAlternative(a)
	assert.Equal(t, 0.0, a.CRMAlternative.SubTotal)
	assert.Equal(t, -10.0, a.CRMAlternative.TotalPrice)
	assert.Equal(t, 0.0, a.CRMAlternative.DiscountPercent)

	// Lines whose prices cancel out: SubTotal 0, lines keep their own total.
	a = &superoffice.QuoteAlternativeWithLinesInfo{
		CRMAlternative: &superoffice.QuoteAlternativeInfo{UserValueOverride: superoffice.OverrideDiscountPercent, DiscountPercent: 10},
		CRMQuoteLines: []*superoffice.QuoteLineInfo{
			{Quantity: 1, UnitListPrice: 50},
			{Quantity: -1, UnitListPrice: 50},
		},
	}
	CalculateAlternative(a)
	assert.Equal(t, 50.0, a.CRMQuoteLines[0].TotalPriceWithAlternativeDiscount)
	assert.Equal(t, -50.0, a.CRMQuoteLines[1].TotalPriceWithAlternativeDiscount)
}

func TestCalculateExtremes(t *testing.T) {
	huge := math.MaxFloat64
	for _, tc := range []superoffice.QuoteLineInfo{
		{UnitListPrice: huge, Quantity: huge, UnitCost: huge},
		{UnitListPrice: huge, Quantity: 1, UserValueOverride: superoffice.OverrideDiscountAmount, DiscountAmount: -huge},
		{UnitListPrice: huge, Quantity: 1, UserValueOverride: superoffice.OverrideTotal, TotalPrice: -huge},
		{UnitListPrice: 1, Quantity: 1, UnitCost: huge, UserValueOverride: superoffice.OverrideEarningAmount, EarningAmount: huge},
		{UnitListPrice: 1, Quantity: 1, UnitCost: 1, UserValueOverride: superoffice.OverrideEarningPercent, EarningPercent: 100 - 1e-14},
		{UnitListPrice: 1e-300, Quantity: 1e-300, ERPDiscountAmount: 1},
		{UnitListPrice: math.NaN(), Quantity: math.Inf(1), UnitCost: math.Inf(-1), DiscountPercent: math.NaN(), UserValueOverride: 42},
	} {
		l := tc
		CalculateLine(&l)
		assertFinite(t, &l)
		assert.InDelta(t, 0, l.TotalPrice-(l.SubTotal-l.DiscountAmount), 1e-9*math.Max(1, math.Abs(l.SubTotal)))
	}
	a := &superoffice.QuoteAlternativeWithLinesInfo{CRMAlternative: &superoffice.QuoteAlternativeInfo{}}
	for range 3 {
		a.CRMQuoteLines = append(a.CRMQuoteLines, &superoffice.QuoteLineInfo{UnitListPrice: huge, Quantity: 1, UnitCost: huge})
	}
	CalculateAlternative(a)
	for _, v := range []float64{a.CRMAlternative.SubTotal, a.CRMAlternative.TotalPrice, a.CRMAlternative.EarningAmount, a.CRMAlternative.EarningPercent} {
		assert.False(t, math.IsInf(v, 0) || math.IsNaN(v))
	}
	for _, l := range a.CRMQuoteLines {
		assertFinite(t, l)
	}
}

func assertFinite(t testing.TB, l *superoffice.QuoteLineInfo) {
	t.Helper()
	for name, v := range map[string]float64{
		"SubTotal": l.SubTotal, "ERPDiscountPercent": l.ERPDiscountPercent, "ERPDiscountAmount": l.ERPDiscountAmount,
		"DiscountPercent": l.DiscountPercent, "DiscountAmount": l.DiscountAmount, "TotalPrice": l.TotalPrice,
		"EarningAmount": l.EarningAmount, "EarningPercent": l.EarningPercent,
		"TotalPriceWithAlternativeDiscount": l.TotalPriceWithAlternativeDiscount,
	} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%s = %v", name, v)
		}
	}
}

// FuzzCalculateLine: for any finite input and any master, no output is NaN
// or Inf and TotalPrice = SubTotal − DiscountAmount.
func FuzzCalculateLine(f *testing.F) {
	f.Add(13.0, 10.0, 100.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0, uint8(2))
	f.Add(13.0, 10.0, 100.0, 0.0, 0.0, 0.0, 0.0, 1100.0, 0.0, 0.0, uint8(1))
	f.Add(13.0, 10.0, 100.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0, uint8(4))
	f.Add(13.0, 10.0, 100.0, 0.0, 26.0, 0.0, 0.0, 0.0, 150.0, 0.0, uint8(5))
	f.Add(math.MaxFloat64, math.MaxFloat64, 2.0, 1e308, -1e308, -1e308, 1e308, -1e308, 1e308, 1e-308, uint8(3))
	f.Add(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, uint8(0))
	f.Fuzz(func(t *testing.T, listPrice, cost, qty, erpPct, erpAmt, discPct, discAmt, total, earnAmt, earnPct float64, override uint8) {
		for _, v := range []float64{listPrice, cost, qty, erpPct, erpAmt, discPct, discAmt, total, earnAmt, earnPct} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Skip("finite inputs only")
			}
		}
		l := &superoffice.QuoteLineInfo{
			UnitListPrice: listPrice, UnitCost: cost, Quantity: qty,
			ERPDiscountPercent: erpPct, ERPDiscountAmount: erpAmt,
			DiscountPercent: discPct, DiscountAmount: discAmt, TotalPrice: total,
			EarningAmount: earnAmt, EarningPercent: earnPct,
			UserValueOverride: superoffice.ValueOverride(override % 7), // 6 = outside the enum
		}
		CalculateLine(l)
		assertFinite(t, l)
		want := l.SubTotal - l.DiscountAmount
		scale := math.Max(1, math.Max(math.Abs(l.SubTotal), math.Max(math.Abs(l.DiscountAmount), math.Abs(l.TotalPrice))))
		if math.IsInf(want, 0) || math.Abs(l.TotalPrice-want) > 1e-9*scale {
			t.Fatalf("TotalPrice %v != SubTotal %v − DiscountAmount %v (master %v)", l.TotalPrice, l.SubTotal, l.DiscountAmount, l.UserValueOverride)
		}
		if l.UserValueOverride != superoffice.ValueOverride(override%7) {
			t.Fatal("master changed")
		}
	})
}

func benchLine() superoffice.QuoteLineInfo {
	return superoffice.QuoteLineInfo{UnitListPrice: 13, UnitCost: 10, Quantity: 100, ERPDiscountPercent: 5,
		UserValueOverride: superoffice.OverrideEarningPercent, EarningPercent: 20}
}

func BenchmarkCalculateLine(b *testing.B) {
	l := benchLine()
	b.ReportAllocs()
	for b.Loop() {
		CalculateLine(&l)
	}
}

func BenchmarkCalculateAlternative(b *testing.B) {
	a := &superoffice.QuoteAlternativeWithLinesInfo{CRMAlternative: &superoffice.QuoteAlternativeInfo{
		UserValueOverride: superoffice.OverrideDiscountPercent, DiscountPercent: 5}}
	for i := range 20 {
		l := benchLine()
		l.UserValueOverride = superoffice.ValueOverride(i % 6)
		l.Quantity = float64(i + 1)
		a.CRMQuoteLines = append(a.CRMQuoteLines, &l)
	}
	b.ReportAllocs()
	for b.Loop() {
		CalculateAlternative(a)
	}
}
