package main

import (
	"fmt"
	"path/filepath"
)

// ablate prints, for each driver, the schema insert rate of n rows with
// each index and insert trigger of the transactions table dropped in
// turn beside the rate with all of them, on copies of the migrated
// template, alternating drivers: what each one costs at insert.
func ablate(template, dir string, n int) error {
	db, err := open("sqlite", template)
	if err != nil {
		return err
	}
	var objects []string
	rows, err := db.Query(`SELECT type || ' ' || name FROM sqlite_master
		WHERE tbl_name = 'transactions' AND sql IS NOT NULL AND (type = 'index' OR (type = 'trigger' AND name LIKE '%insert'))
		ORDER BY type, name`)
	if err == nil {
		for rows.Next() {
			var o string
			if err = rows.Scan(&o); err != nil {
				break
			}
			objects = append(objects, o)
		}
		rows.Close()
	}
	db.Close()
	if err != nil {
		return err
	}
	objects = append([]string{""}, objects...)
	fmt.Printf("schema insert of %d rows with one object dropped (rows/s, this process's cpu-ms/1000 rows); load average %s\n", n, loadavg())
	for i, o := range objects {
		label := "everything"
		if o != "" {
			label = "without " + o
		}
		fmt.Printf("  %-48s", label)
		for _, d := range drivers {
			m, err := ablateOne(d, template, filepath.Join(dir, fmt.Sprintf("ablate-%s-%d.db", d, i)), o, n)
			if err != nil {
				return fmt.Errorf("%s %s: %w", d, label, err)
			}
			fmt.Printf("  %s %7.0f (%5.1f)", name(d), m.rate(), m.cpuPerK())
		}
		fmt.Println()
	}
	return nil
}

func ablateOne(d, template, path, object string, n int) (measure, error) {
	if err := copyFile(template, path); err != nil {
		return measure{}, err
	}
	db, err := open(d, path)
	if err != nil {
		return measure{}, err
	}
	defer db.Close()
	if object != "" {
		if _, err := db.Exec(`DROP ` + object); err != nil {
			return measure{}, err
		}
	}
	return timed("schema", n, func() error { return insertSchema(db, n) })
}
