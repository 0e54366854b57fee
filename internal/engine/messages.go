package engine

import (
	"github.com/quoteconnector/quoteconnector/internal/distributors"
	so "github.com/quoteconnector/quoteconnector/internal/superoffice"
)

// User-facing texts (protocol §1.5: US, NO and GE at least). Arguments are
// filled with Textf; numbers and dates go in as culture markers where
// SuperOffice formats them.
var (
	// The argument lists the registered distributors.
	msgNoDistributor = so.Text{
		US: "No distributor is enabled in this connection. Enable one of %s in the connection settings.",
		NO: "Ingen distributør er aktivert i denne koblingen. Aktiver en av %s i innstillingene.",
		GE: "In dieser Verbindung ist kein Distributor aktiviert. Aktivieren Sie einen von %s in den Einstellungen.",
	}
	msgNoSettings = so.Text{
		US: "No connection settings have been received yet. Open the quote connection in SuperOffice's settings and run Test connection, so the service learns which distributors to use.",
		NO: "Ingen koblingsinnstillinger er mottatt ennå. Åpne tilbudskoblingen i SuperOffice-innstillingene og kjør Test tilkobling, så tjenesten vet hvilke distributører den skal bruke.",
		GE: "Es wurden noch keine Verbindungseinstellungen empfangen. Öffnen Sie die Angebotsverbindung in den SuperOffice-Einstellungen und führen Sie Verbindung testen aus, damit der Dienst die Distributoren kennt.",
	}
	msgNoOrderState = so.Text{
		US: "No enabled distributor can report order status in this connection.",
		NO: "Ingen aktivert distributør kan rapportere ordrestatus i denne koblingen.",
		GE: "Kein aktivierter Distributor kann in dieser Verbindung den Bestellstatus melden.",
	}
	msgConnectionOK = so.Text{US: "%s: connection works. %s", NO: "%s: koblingen virker. %s", GE: "%s: Verbindung funktioniert. %s"}
	msgConnectionKO = so.Text{US: "%s: connection failed: %s", NO: "%s: koblingen feilet: %s", GE: "%s: Verbindung fehlgeschlagen: %s"}
	msgBadSetting   = so.Text{US: "Setting %s: %s", NO: "Innstilling %s: %s", GE: "Einstellung %s: %s"}

	msgUnavailable = so.Text{
		US: "%s did not answer; prices and stock could not be checked. Try again later.",
		NO: "%s svarte ikke; priser og lager kunne ikke kontrolleres. Prøv igjen senere.",
		GE: "%s hat nicht geantwortet; Preise und Bestand konnten nicht geprüft werden. Bitte später erneut versuchen.",
	}
	msgPriceNotChecked = so.Text{
		US: "The price could not be checked with %s just now; the line uses the last known price.",
		NO: "Prisen kunne ikke kontrolleres hos %s akkurat nå; linjen bruker sist kjente pris.",
		GE: "Der Preis konnte gerade nicht bei %s geprüft werden; die Zeile verwendet den letzten bekannten Preis.",
	}
	msgUnknownProduct = so.Text{
		US: "%s no longer offers this product (discontinued or withdrawn); it cannot be ordered. Replace the line.",
		NO: "%s tilbyr ikke lenger dette produktet (utgått eller trukket); det kan ikke bestilles. Bytt ut linjen.",
		GE: "%s bietet dieses Produkt nicht mehr an (ausgelaufen oder zurückgezogen); es kann nicht bestellt werden. Ersetzen Sie die Zeile.",
	}
	msgDiscontinued = so.Text{
		US: "Discontinued at %s: this product can no longer be ordered. Replace the line.",
		NO: "Utgått hos %s: produktet kan ikke lenger bestilles. Bytt ut linjen.",
		GE: "Bei %s ausgelaufen: das Produkt kann nicht mehr bestellt werden. Ersetzen Sie die Zeile.",
	}
	msgOverStock = so.Text{
		US: "Only %s in stock at %s.",
		NO: "Bare %s på lager hos %s.",
		GE: "Nur %s auf Lager bei %s.",
	}
	msgIncoming = so.Text{
		US: "%s more expected %s.",
		NO: "%s til ventes %s.",
		GE: "%s weitere erwartet am %s.",
	}
	msgNoIncoming = so.Text{
		US: "No delivery to the distributor is announced.",
		NO: "Ingen levering til distributøren er varslet.",
		GE: "Keine Lieferung an den Distributor angekündigt.",
	}
	msgUnderMinimum = so.Text{
		US: "Net unit price %s is below the minimum price %s; the quote needs approval.",
		NO: "Netto enhetspris %s er under minsteprisen %s; tilbudet må godkjennes.",
		GE: "Netto-Stückpreis %s liegt unter dem Mindestpreis %s; das Angebot muss genehmigt werden.",
	}
	msgCannotOrderFrom = so.Text{
		US: "%s does not take orders through this connection.",
		NO: "%s tar ikke imot ordrer gjennom denne koblingen.",
		GE: "%s nimmt über diese Verbindung keine Bestellungen an.",
	}
	msgLinesHaveProblems = so.Text{
		US: "%d line(s) need attention: %s",
		NO: "%d linje(r) trenger oppmerksomhet: %s",
		GE: "%d Zeile(n) erfordern Aufmerksamkeit: %s",
	}
	msgValidated        = so.Text{US: "Quote checked against current stock and prices.", NO: "Tilbudet er kontrollert mot gjeldende lager og priser.", GE: "Angebot gegen aktuellen Bestand und Preise geprüft."}
	msgVersionHasErrors = so.Text{
		US: "Some lines cannot be sent or ordered as they are; see the lines marked with errors.",
		NO: "Noen linjer kan ikke sendes eller bestilles slik de er; se linjene merket med feil.",
		GE: "Einige Zeilen können so nicht gesendet oder bestellt werden; siehe die als fehlerhaft markierten Zeilen.",
	}
	msgPricesUpdated = so.Text{US: "Prices updated from %s.", NO: "Priser oppdatert fra %s.", GE: "Preise von %s aktualisiert."}

	msgOrderPlaced = so.Text{US: "Order placed: %s.", NO: "Ordre lagt inn: %s.", GE: "Bestellung aufgegeben: %s."}
	msgOrderFailed = so.Text{
		US: "The order at %s was not placed: %s",
		NO: "Ordren hos %s ble ikke lagt inn: %s",
		GE: "Die Bestellung bei %s wurde nicht aufgegeben: %s",
	}
	msgOrderPartly = so.Text{
		US: "Placed: %s. Not placed: %s. Fix the problem and place the order again; orders already placed are not sent twice.",
		NO: "Lagt inn: %s. Ikke lagt inn: %s. Rett feilen og bestill igjen; ordrer som er lagt inn sendes ikke på nytt.",
		GE: "Aufgegeben: %s. Nicht aufgegeben: %s. Beheben Sie das Problem und bestellen Sie erneut; bereits aufgegebene Bestellungen werden nicht doppelt gesendet.",
	}
	msgOrderUncertain = so.Text{
		US: "The order at %s may have been placed (the distributor did not confirm in time). Place the order again: the service first looks it up at the distributor and sends it only if it does not exist.",
		NO: "Ordren hos %s kan ha blitt lagt inn (distributøren bekreftet ikke i tide). Bestill igjen: tjenesten ser først etter den hos distributøren og sender den bare hvis den ikke finnes.",
		GE: "Die Bestellung bei %s wurde möglicherweise aufgegeben (keine rechtzeitige Bestätigung). Bestellen Sie erneut: der Dienst sucht sie zuerst beim Distributor und sendet sie nur, wenn sie nicht existiert.",
	}
	msgOrderUnresolved = so.Text{
		US: "An earlier order at %s may have been placed and could not be looked up (%s). It is not sent again until that is settled: check it with the distributor.",
		NO: "En tidligere ordre hos %s kan ha blitt lagt inn og kunne ikke slås opp (%s). Den sendes ikke på nytt før dette er avklart: sjekk med distributøren.",
		GE: "Eine frühere Bestellung bei %s wurde möglicherweise aufgegeben und konnte nicht nachgeschlagen werden (%s). Sie wird erst nach Klärung erneut gesendet: bitte beim Distributor prüfen.",
	}
	msgOrderConflict = so.Text{
		US: "%s order %s was already placed for this alternative with other lines. Nothing was sent; change the quote in a new version or alternative.",
		NO: "%s-ordre %s er allerede lagt inn for dette alternativet med andre linjer. Ingenting ble sendt; gjør endringen i en ny versjon eller et nytt alternativ.",
		GE: "%s-Bestellung %s wurde für diese Alternative bereits mit anderen Zeilen aufgegeben. Nichts wurde gesendet; ändern Sie das Angebot in einer neuen Version oder Alternative.",
	}
	msgOrderBusy = so.Text{
		US: "The order at %s is being placed by another request right now. Try again in a moment.",
		NO: "Ordren hos %s legges inn av en annen forespørsel akkurat nå. Prøv igjen om et øyeblikk.",
		GE: "Die Bestellung bei %s wird gerade von einer anderen Anfrage aufgegeben. Bitte gleich erneut versuchen.",
	}
	msgNothingToOrder = so.Text{
		US: "The alternative has no lines from a distributor to order.",
		NO: "Alternativet har ingen linjer fra en distributør som kan bestilles.",
		GE: "Die Alternative hat keine bestellbaren Zeilen eines Distributors.",
	}
	msgLineNotOrderable = so.Text{
		US: "This line has no distributor product and is not ordered.",
		NO: "Denne linjen har ikke noe distributørprodukt og bestilles ikke.",
		GE: "Diese Zeile hat kein Distributorprodukt und wird nicht bestellt.",
	}

	msgOrderStatus = so.Text{US: "%s order %s: %s", NO: "%s ordre %s: %s", GE: "%s Bestellung %s: %s"}
	msgOrderState  = so.Text{US: "Order status: %s", NO: "Ordrestatus: %s", GE: "Bestellstatus: %s"}
	msgNoOrderKey  = so.Text{
		US: "This quote has no distributor order yet.",
		NO: "Dette tilbudet har ingen distributørordre ennå.",
		GE: "Dieses Angebot hat noch keine Distributorbestellung.",
	}
	msgOrderNotFound = so.Text{US: "%s does not know order %s.", NO: "%s kjenner ikke ordre %s.", GE: "%s kennt Bestellung %s nicht."}

	msgSpecialExpiry = so.Text{
		US: "Expiration set to %s: a special price of %s ends then.",
		NO: "Utløpsdato satt til %s: en kampanjepris hos %s slutter da.",
		GE: "Ablaufdatum auf %s gesetzt: ein Sonderpreis bei %s endet dann.",
	}
	// Exchange rates. Arguments: source currency, quote currency, and the
	// rest as named.
	msgRateMissing = so.Text{
		US: "No exchange rate from %s to %s (none for %s): this line cannot be priced in %s. Set the rate in the connection's fixed rates (pricing.fxRates) or wait until the rate source answers.",
		NO: "Ingen valutakurs fra %s til %s (ingen for %s): linjen kan ikke prises i %s. Sett kursen i koblingens faste kurser (pricing.fxRates) eller vent til kurskilden svarer.",
		GE: "Kein Wechselkurs von %s nach %s (keiner für %s): diese Zeile kann nicht in %s bepreist werden. Setzen Sie den Kurs in den festen Kursen der Verbindung (pricing.fxRates) oder warten Sie, bis die Kursquelle antwortet.",
	}
	msgRateStale = so.Text{
		US: "The exchange rate %s to %s is from %s and may be out of date; the price was converted with it. Check the price before sending.",
		NO: "Valutakursen %s til %s er fra %s og kan være utdatert; prisen er omregnet med den. Kontroller prisen før sending.",
		GE: "Der Wechselkurs %s nach %s ist vom %s und möglicherweise veraltet; der Preis wurde damit umgerechnet. Prüfen Sie den Preis vor dem Senden.",
	}
	// Arguments: today's rate, where it is from (msgRateOf...), today's
	// cost, currency, change in percent, the line's cost, currency.
	msgRateMoved = so.Text{
		US: "At today's exchange rate (%s %s) this line's cost is %s %s, %s %% away from the %s %s it was quoted with. Update the prices before sending.",
		NO: "Med dagens valutakurs (%s %s) er kosten for linjen %s %s, %s %% unna %s %s som den ble tilbudt med. Oppdater prisene før sending.",
		GE: "Zum heutigen Wechselkurs (%s %s) betragen die Kosten dieser Zeile %s %s, %s %% abweichend von den %s %s des Angebots. Aktualisieren Sie die Preise vor dem Senden.",
	}
	// Arguments: distributor, order currency, quote currency, rate
	// ("1 EUR = [F:11.7215] NOK"), where the rate is from (msgRateOf...).
	msgOrderCurrency = so.Text{
		US: "%s: ordered in %s, the distributor's currency; the quote in %s was made at %s %s.",
		NO: "%s: bestilt i %s, distributørens valuta; tilbudet i %s ble laget med %s %s.",
		GE: "%s: bestellt in %s, der Währung des Distributors; das Angebot in %s wurde erstellt mit %s %s.",
	}
	// Arguments as msgOrderCurrency, the rate being today's.
	msgOrderCurrencyToday = so.Text{
		US: "%s: ordered in %s, the distributor's currency; the quote in %s does not say which rate it was made with (today: %s %s).",
		NO: "%s: bestilt i %s, distributørens valuta; tilbudet i %s sier ikke hvilken kurs det ble laget med (i dag: %s %s).",
		GE: "%s: bestellt in %s, der Währung des Distributors; das Angebot in %s nennt seinen Kurs nicht (heute: %s %s).",
	}
	msgRateOfDay = so.Text{US: "(reference rate of %s)", NO: "(referansekurs fra %s)", GE: "(Referenzkurs vom %s)"}
	msgRateFixed = so.Text{US: "(fixed in the connection settings)", NO: "(fast kurs i koblingsinnstillingene)", GE: "(fester Kurs in den Verbindungseinstellungen)"}
	msgRateNone  = so.Text{US: "(no rate)", NO: "(ingen kurs)", GE: "(kein Kurs)"}
)

// stateText names an order state for users.
var stateText = map[string]so.Text{
	"open":            {US: "open", NO: "åpen", GE: "offen"},
	"processing":      {US: "in progress", NO: "under behandling", GE: "in Bearbeitung"},
	"partly shipped":  {US: "partly shipped", NO: "delvis sendt", GE: "teilweise versandt"},
	"shipped":         {US: "shipped", NO: "sendt", GE: "versandt"},
	"invoiced":        {US: "delivered and invoiced", NO: "levert og fakturert", GE: "geliefert und berechnet"},
	"needs attention": {US: "needs attention", NO: "trenger oppfølging", GE: "erfordert Aufmerksamkeit"},
	"failed":          {US: "failed", NO: "feilet", GE: "fehlgeschlagen"},
	"cancelled":       {US: "cancelled", NO: "kansellert", GE: "storniert"},
}

// displayName is a distributor's name for users: its registered title, or
// the engine's own name of the best-price list.
func (e *Engine) displayName(name string) string {
	if name == distributors.Best {
		return "Best price"
	}
	return e.o.Registry.Title(name)
}
