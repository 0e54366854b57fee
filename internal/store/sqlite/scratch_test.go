package sqlite_test
import ("context";"testing";"time";"os"
 "github.com/quoteconnector/quoteconnector/internal/store/sqlite")
func TestScratch(t *testing.T){
 if os.Getenv("SCRATCH")=="" {t.Skip()}
 s,err:=sqlite.Open(context.Background(),"/tmp/bench100k"); if err!=nil{t.Fatal(err)}
 defer s.Close()
 for _,m:=range []string{
  `account : "b1e2n3c4h5a6" AND {name} : ("dell" AND "toner")`,
  `{name} : ("dell" AND "toner")`,
  `{codes name brand category body} : ("dell" AND "toner")`,
  `account : "b1e2n3c4h5a6" AND {codes name brand category body} : ("dell" AND "toner")`,
  `{name} : ("business" AND "110" AND "20")`,
  `account : "b1e2n3c4h5a6" AND {name} : ("business" AND "110" AND "20")`,
  `{name} : ("pro" AND "mini" AND "400" AND "g")`,
 }{
  for i:=0;i<3;i++{
  t0:=time.Now()
  rows,err:=s.Read.Query(`SELECT f.rowid FROM catalog_fts f CROSS JOIN catalog_items i ON i.id=f.rowid WHERE catalog_fts MATCH ? AND i.account='b1e2n3c4h5a6' AND i.discontinued=0 LIMIT 50`, m)
  if err!=nil{t.Fatal(err)}
  n:=0; for rows.Next(){n++}; rows.Close()
  if i==2 {t.Log(time.Since(t0), n, m)}
  }
 }
}
