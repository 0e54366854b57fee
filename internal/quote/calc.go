// Package quote is the calculation engine of quote lines and alternatives
// (shared/spec/superoffice-protocol.md §9) and the status helpers of the
// error system (§10.1). It is pure: carriers go in, carriers come out; no
// HTTP, no logger, no clock.
//
// Numbers are float64 at full precision and never rounded (§9.6). Every
// division by zero yields 0, and no result is ever NaN or ±Inf: a value that
// cannot be represented becomes 0 (§1.2).
package quote

import (
	"math"

	"github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// finite returns f, or 0 when f is NaN or ±Inf (§1.2: never emit NaN/Inf).
func finite(f float64) float64 {
	if !isFinite(f) {
		return 0
	}
	return f
}

// div is a/b, 0 when b is 0 or the quotient is not finite (§9.1 "any
// division by zero yields 0").
func div(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return finite(a / b)
}

// percentOf is part as a percentage of whole: part / whole × 100.
func percentOf(part, whole float64) float64 { return finite(div(part, whole) * 100) }

// share is percent % of whole: whole × percent / 100.
func share(whole, percent float64) float64 { return finite(whole * percent / 100) }

// figures are the money fields a line and an alternative have in common; the
// rules of §9.1–9.3 apply to both (§9.4 "same rules").
type figures struct {
	subTotal, totalCost                   float64 // inputs
	erpDiscountPercent, erpDiscountAmount float64
	discountPercent, discountAmount       float64
	totalPrice, earningAmount, earningPct float64
	override                              superoffice.ValueOverride
}

// calculate refreshes the ERP suggestion, applies the master value and
// derives the rest (§9.1–9.3).
func (f *figures) calculate() {
	f.subTotal, f.totalCost = finite(f.subTotal), finite(f.totalCost)
	f.erpDiscountPercent, f.erpDiscountAmount = finite(f.erpDiscountPercent), finite(f.erpDiscountAmount)
	f.discountPercent, f.discountAmount = finite(f.discountPercent), finite(f.discountAmount)
	f.totalPrice, f.earningAmount, f.earningPct = finite(f.totalPrice), finite(f.earningAmount), finite(f.earningPct)

	// §9.3: the ERP suggestion is refreshed whatever the override. A bare
	// amount (percent 0) is the ERP's word: keep it and derive the percent.
	if f.erpDiscountPercent == 0 && f.erpDiscountAmount != 0 {
		f.erpDiscountPercent = percentOf(f.erpDiscountAmount, f.subTotal)
	} else {
		f.erpDiscountAmount = share(f.subTotal, f.erpDiscountPercent)
	}

	// §9.2: keep the master, derive the discount amount from it. The
	// percent is derived below unless it is the master (or the ERP's).
	derivePercent := true
	switch f.override {
	case superoffice.OverrideDiscountPercent:
		f.discountAmount = share(f.subTotal, f.discountPercent)
		derivePercent = false
	case superoffice.OverrideDiscountAmount:
		// kept
	case superoffice.OverrideTotal:
		f.discountAmount = f.subTotal - f.totalPrice
	case superoffice.OverrideEarningAmount:
		f.totalPrice = finite(f.totalCost + f.earningAmount)
		f.discountAmount = f.subTotal - f.totalPrice
	case superoffice.OverrideEarningPercent:
		// TotalPrice = TotalCost / (1 − EarningPercent/100); 0 when the
		// earning would be 100 % (no price gives that).
		f.totalPrice = div(f.totalCost, 1-f.earningPct/100)
		f.discountAmount = f.subTotal - f.totalPrice
	default: // OverrideNone, and any value outside the enum
		f.discountPercent, f.discountAmount = f.erpDiscountPercent, f.erpDiscountAmount
		derivePercent = false
	}

	// TotalPrice = SubTotal − DiscountAmount must hold on output. When the
	// discount or the price is not representable (only with absurd inputs)
	// the discount is dropped, and the master with it, rather than emitting
	// Inf or breaking that identity.
	tp := f.subTotal - f.discountAmount
	if !isFinite(f.discountAmount) || !isFinite(tp) {
		f.discountAmount, f.discountPercent, f.totalPrice = 0, 0, f.subTotal
		f.override = superoffice.OverrideDiscountAmount // local only: plain earnings below
		derivePercent = false
	} else if !priceIsMaster(f.override) {
		f.totalPrice = tp
	}
	if derivePercent {
		f.discountPercent = percentOf(f.discountAmount, f.subTotal)
	}

	// Earning*: a master earning is kept as the user typed it.
	switch f.override {
	case superoffice.OverrideEarningAmount:
		f.earningPct = percentOf(f.earningAmount, f.totalPrice)
	case superoffice.OverrideEarningPercent:
		f.earningAmount = finite(f.totalPrice - f.totalCost)
	default:
		f.earningAmount = finite(f.totalPrice - f.totalCost)
		f.earningPct = percentOf(f.earningAmount, f.totalPrice)
	}
}

// priceIsMaster reports whether TotalPrice follows from the master directly
// (rather than from SubTotal − DiscountAmount).
func priceIsMaster(o superoffice.ValueOverride) bool {
	switch o {
	case superoffice.OverrideTotal, superoffice.OverrideEarningAmount, superoffice.OverrideEarningPercent:
		return true
	}
	return false
}

func isFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// CalculateLine recalculates one quote line from its Quantity, UnitListPrice,
// UnitCost, ERP discount and master value (§9.1–9.3): SubTotal,
// ERPDiscount*, Discount*, TotalPrice, Earning*. UserValueOverride is never
// changed. TotalPriceWithAlternativeDiscount is set to TotalPrice, as if the
// alternative had no discount; CalculateAlternative sets the real value.
// A nil line is ignored.
func CalculateLine(l *superoffice.QuoteLineInfo) {
	if l == nil {
		return
	}
	qty := finite(l.Quantity)
	f := figures{
		subTotal:           finite(finite(l.UnitListPrice) * qty),
		totalCost:          lineCost(l),
		erpDiscountPercent: l.ERPDiscountPercent,
		erpDiscountAmount:  l.ERPDiscountAmount,
		discountPercent:    l.DiscountPercent,
		discountAmount:     l.DiscountAmount,
		totalPrice:         l.TotalPrice,
		earningAmount:      l.EarningAmount,
		earningPct:         l.EarningPercent,
		override:           l.UserValueOverride,
	}
	f.calculate()
	l.SubTotal = f.subTotal
	l.ERPDiscountPercent, l.ERPDiscountAmount = f.erpDiscountPercent, f.erpDiscountAmount
	l.DiscountPercent, l.DiscountAmount = f.discountPercent, f.discountAmount
	l.TotalPrice = f.totalPrice
	l.EarningAmount, l.EarningPercent = f.earningAmount, f.earningPct
	l.TotalPriceWithAlternativeDiscount = f.totalPrice
}

// lineCost is the line's TotalCost (not a carrier property): UnitCost ×
// Quantity.
func lineCost(l *superoffice.QuoteLineInfo) float64 {
	return finite(finite(l.UnitCost) * finite(l.Quantity))
}

// CalculateAlternative recalculates every line (CalculateLine), then the
// alternative from them (§9.4): SubTotal = Σ line TotalPrice, TotalCost =
// Σ line UnitCost × Quantity, then the alternative's own ERP discount, master
// value and earnings by the line rules. Finally each line's
// TotalPriceWithAlternativeDiscount = line TotalPrice × alternative
// TotalPrice / alternative SubTotal (the line's TotalPrice when SubTotal is
// 0). Nil alternative, nil CRMAlternative and nil lines are skipped.
func CalculateAlternative(a *superoffice.QuoteAlternativeWithLinesInfo) {
	if a == nil {
		return
	}
	var subTotal, totalCost float64
	for _, l := range a.CRMQuoteLines {
		if l == nil {
			continue
		}
		CalculateLine(l)
		subTotal += l.TotalPrice
		totalCost += lineCost(l)
	}
	alt := a.CRMAlternative
	if alt == nil {
		return // lines keep TotalPriceWithAlternativeDiscount = TotalPrice
	}
	f := figures{
		subTotal:           subTotal,
		totalCost:          totalCost,
		erpDiscountPercent: alt.ERPDiscountPercent,
		erpDiscountAmount:  alt.ERPDiscountAmount,
		discountPercent:    alt.DiscountPercent,
		discountAmount:     alt.DiscountAmount,
		totalPrice:         alt.TotalPrice,
		earningAmount:      alt.EarningAmount,
		earningPct:         alt.EarningPercent,
		override:           alt.UserValueOverride,
	}
	f.calculate()
	alt.SubTotal = f.subTotal
	alt.ERPDiscountPercent, alt.ERPDiscountAmount = f.erpDiscountPercent, f.erpDiscountAmount
	alt.DiscountPercent, alt.DiscountAmount = f.discountPercent, f.discountAmount
	alt.TotalPrice = f.totalPrice
	alt.EarningAmount, alt.EarningPercent = f.earningAmount, f.earningPct

	if f.subTotal == 0 {
		return // already TotalPrice
	}
	// The ratio first: line TotalPrice × alternative TotalPrice could
	// overflow where the ratio does not.
	ratio := div(f.totalPrice, f.subTotal)
	for _, l := range a.CRMQuoteLines {
		if l != nil {
			l.TotalPriceWithAlternativeDiscount = finite(l.TotalPrice * ratio)
		}
	}
}
