package tenancy_test

import (
	"fmt"

	"github.com/prescale-dev/prescale/pkg/tenancy"
)

func ExampleEnforce() {
	q, err := tenancy.Enforce(`sum(rate(http_requests_total{job="api"}[2m]))`, "namespace", "shop")
	fmt.Println(q, err)
	_, err = tenancy.Enforce(`sum(x{namespace="bank"})`, "namespace", "shop")
	fmt.Println(err)
	// Output:
	// sum(rate(http_requests_total{job="api",namespace="shop"}[2m])) <nil>
	// query selects another tenant's series: selector x{namespace="bank"} has namespace="bank", which excludes namespace="shop"
}
