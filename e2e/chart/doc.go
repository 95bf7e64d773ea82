// Package chart tests prescale's Helm chart and Grafana dashboard.
package chart
