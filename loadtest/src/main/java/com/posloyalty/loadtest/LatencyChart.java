package com.posloyalty.loadtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The percentile distribution of each scenario's headline latency, the way HdrHistogram's
 * plotter draws it: x is log10(1 / (1 - percentile)), so 90 %, 99 %, 99.9 % and 99.99 %
 * are evenly spaced and the tail gets the room it deserves. (XChart's own log axis
 * ignores custom tick labels, hence the transform.)
 */
final class LatencyChart {

  /** 99.999 %: five nines, x = 5. */
  private static final double LAST_NINES = 5;

  private LatencyChart() {}

  static void write(List<ScenarioReport> scenarios, Path png) throws IOException {
    XYChart chart = new XYChartBuilder().width(1100).height(650)
        .title("Latency by percentile (coordinated-omission corrected)")
        .xAxisTitle("percentile").yAxisTitle("latency (ms)").build();
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(LAST_NINES);
    chart.getStyler().setXAxisTickMarkSpacingHint(120);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(LatencyChart::percentileLabel);
    chart.getStyler().setMarkerSize(0);
    for (ScenarioReport s : scenarios) {
      Histogram h = s.headlineResult().histogram();
      if (h == null || h.getTotalCount() == 0) {
        continue;
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (HistogramIterationValue v : h.percentiles(5)) {
        double nines = Math.log10(100 / (100 - v.getPercentileLevelIteratedTo()));
        if (nines > LAST_NINES) {
          break;
        }
        x.add(nines);
        y.add(Math.max(0.001, v.getValueIteratedTo() / 1000.0));
      }
      chart.addSeries(String.format("%s %s (%s, %.0f/s)", s.name(), s.headline(), s.mode(),
          s.offeredRate()), x, y).setMarker(SeriesMarkers.NONE);
    }
    if (chart.getSeriesMap().isEmpty()) {
      chart.addSeries("no successful calls", List.of(0.0, LAST_NINES), List.of(0.001, 0.001));
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%". */
  private static String percentileLabel(double nines) {
    double percentile = 100 - 100 / Math.pow(10, nines);
    return String.format("%.4f", percentile).replaceAll("0+$", "").replaceAll("\\.$", "") + "%";
  }
}
