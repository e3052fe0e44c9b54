// Draws the report's charts and maps from the JSON in #report-data with the inlined ECharts.
// Nothing here may request anything: the page's Content-Security-Policy would block it and the
// browser test fails on any request that is not the file itself.
(function () {
    'use strict';

    var data = JSON.parse(document.getElementById('report-data').textContent);
    var number = new Intl.NumberFormat('en-US');
    var palette = ['#3b6ea8', '#d9822b', '#4f9a5a', '#b8474e', '#7d5ba6', '#8c6d46', '#c8649b', '#5c8f95'];
    var density = ['#fff7bc', '#fee391', '#fec44f', '#fe9929', '#ec7014', '#cc4c02', '#8c2d04'];
    var charts = [];
    var originals = {};
    var pending = 0;
    var issued = false;

    function colour(code) {
        var index = data.countries.indexOf(code);
        return palette[(index < 0 ? 0 : index) % palette.length];
    }

    // every chart reports when it is drawn; the page then says so on <body>, which is what the
    // browser test waits for
    function draw(id, option) {
        var element = document.getElementById(id);
        if (!element) {
            return null;
        }
        var chart = echarts.init(element, null, {renderer: 'svg'});
        charts.push(chart);
        originals[id] = option;
        pending++;
        // 'finished' may fire inside setOption already, so it is listened to first
        chart.on('finished', function once() {
            chart.off('finished', once);
            element.setAttribute('data-drawn', 'true');
            pending--;
            allDrawn();
        });
        option.animation = false;
        chart.setOption(option);
        return chart;
    }

    function allDrawn() {
        if (issued && pending === 0) {
            document.body.setAttribute('data-charts-drawn', String(charts.length));
        }
    }

    function dauChart() {
        if (data.dau.length === 0) {
            return;
        }
        draw('chart-dau', {
            grid: {left: 70, right: 20, top: 30, bottom: 40},
            tooltip: {trigger: 'axis', axisPointer: {type: 'shadow'}, valueFormatter: function (value) { return number.format(value); }},
            xAxis: {type: 'category', data: data.dau.map(function (row) { return row.country + ' · ' + row.name; })},
            yAxis: {type: 'value', name: 'devices', minInterval: 1, axisLabel: {formatter: function (value) { return number.format(value); }}},
            series: [{
                type: 'bar',
                name: 'devices',
                barMaxWidth: 90,
                data: data.dau.map(function (row) { return {value: row.devices, itemStyle: {color: colour(row.country)}}; }),
                label: {show: true, position: 'top', formatter: function (item) { return number.format(item.value); }}
            }]
        });
    }

    function hourlyChart(id, measure, title) {
        if (data.hourly.countries.length === 0) {
            return;
        }
        draw(id, {
            title: {text: title, left: 'center', textStyle: {fontSize: 14, fontWeight: 'normal'}},
            grid: {left: 70, right: 20, top: 50, bottom: 40},
            legend: {top: 22},
            tooltip: {trigger: 'axis', valueFormatter: function (value) { return number.format(value); }},
            xAxis: {type: 'category', data: data.hourly.labels, axisLabel: {interval: 1}},
            // counts: no tick between 0 and 1
            yAxis: {type: 'value', minInterval: 1, axisLabel: {formatter: function (value) { return number.format(value); }}},
            series: data.hourly.countries.map(function (country) {
                return {
                    type: 'line',
                    name: country.code,
                    data: country[measure],
                    symbolSize: 5,
                    lineStyle: {width: 2, color: colour(country.code)},
                    itemStyle: {color: colour(country.code)}
                };
            })
        });
    }

    // The map keeps the country's proportions: it fills the element's width or its height, less
    // 8 px on each side, and is centred along the other. (ECharts stretches a box given by all of
    // left, right, top and bottom, and keeps the aspect only when one of the sizes is left open.)
    function fit(element, map) {
        var aspect = (map.view.east - map.view.west) * map.aspectScale / (map.view.north - map.view.south);
        var width = Math.max(1, element.clientWidth - 16);
        var height = Math.max(1, element.clientHeight - 16);
        return aspect > width / height
            ? {left: 8, right: 8, top: 'middle', bottom: null}
            : {top: 8, bottom: 8, left: 'center', right: null};
    }

    function mapChart(map) {
        var mapName = 'outline-' + map.code;
        echarts.registerMap(mapName, map.geojson);
        var half = map.cellSize / 2;
        var view = map.view;
        var regions = [];
        if (map.countryRegion) {
            regions.push({
                name: map.countryRegion,
                itemStyle: {areaColor: '#fbf7ea', borderColor: '#5b6770', borderWidth: 1.2},
                label: {show: false}
            });
        }
        var maximum = Math.max(1, map.maxEvents);
        var series = [{
            type: 'custom',
            name: 'events per cell',
            coordinateSystem: 'geo',
            geoIndex: 0,
            // [longitude, latitude, events, devices, log10(events)]: colour follows the last, so that a
            // city centre with thousands of events does not wash out the cells with a handful
            data: map.cells.map(function (cell) { return [cell[0], cell[1], cell[2], cell[3], Math.log10(Math.max(1, cell[2]))]; }),
            dimensions: ['longitude', 'latitude', 'events', 'devices', 'log_events'],
            renderItem: function (params, api) {
                var topLeft = api.coord([api.value(0) - half, api.value(1) + half]);
                var bottomRight = api.coord([api.value(0) + half, api.value(1) - half]);
                return {
                    type: 'rect',
                    shape: {x: topLeft[0], y: topLeft[1], width: Math.max(1, bottomRight[0] - topLeft[0]), height: Math.max(1, bottomRight[1] - topLeft[1])},
                    style: {fill: api.visual('color'), opacity: 0.85}
                };
            },
            tooltip: {
                formatter: function (item) {
                    var value = item.value;
                    return 'cell ' + value[1].toFixed(2) + '°, ' + value[0].toFixed(2) + '°<br>'
                        + number.format(value[2]) + ' events<br>' + number.format(value[3]) + ' devices';
                }
            },
            z: 3
        }, {
            type: 'scatter',
            name: 'cities',
            coordinateSystem: 'geo',
            geoIndex: 0,
            data: map.cities.map(function (city) { return {name: city.name, value: [city.longitude, city.latitude]}; }),
            symbolSize: 7,
            itemStyle: {color: '#1d2327', borderColor: '#ffffff', borderWidth: 1.5},
            label: {show: true, formatter: '{b}', position: 'right', color: '#1d2327', fontWeight: 'bold', fontSize: 12, textBorderColor: '#ffffff', textBorderWidth: 3},
            labelLayout: {hideOverlap: false},
            tooltip: {formatter: function (item) { return item.name + '<br>' + item.value[1].toFixed(4) + '°, ' + item.value[0].toFixed(4) + '°'; }},
            z: 5
        }];
        draw(map.element, {
            backgroundColor: '#d7e7f2',
            tooltip: {trigger: 'item'},
            geo: Object.assign({
                map: mapName,
                roam: true,
                scaleLimit: {min: 0.5, max: 60},
                boundingCoords: [[view.west, view.north], [view.east, view.south]],
                aspectScale: map.aspectScale,
                itemStyle: {areaColor: '#e4e6e8', borderColor: '#a3acb3', borderWidth: 0.8},
                label: {show: true, color: '#7a858d', fontSize: 11},
                emphasis: {label: {show: true}, itemStyle: {areaColor: '#f0ead2'}},
                select: {disabled: true},
                tooltip: {show: true, formatter: function (item) { return item.name; }},
                regions: regions
            }, fit(document.getElementById(map.element), map)),
            visualMap: {
                type: 'continuous',
                seriesIndex: 0,
                dimension: 4,
                min: 0,
                max: Math.max(0.01, Math.log10(maximum)),
                calculable: true,
                inRange: {color: density},
                text: ['events per cell', ''],
                formatter: function (value) { return number.format(Math.round(Math.pow(10, value))); },
                left: 10,
                bottom: 10,
                itemHeight: 110,
                backgroundColor: 'rgba(255,255,255,0.75)',
                padding: 6,
                show: map.cells.length > 0
            },
            series: series
        });
    }

    dauChart();
    hourlyChart('chart-hourly-events', 'events', 'events per hour');
    hourlyChart('chart-hourly-devices', 'devices', 'distinct devices per hour');
    data.maps.forEach(mapChart);
    issued = true;
    allDrawn();

    window.addEventListener('resize', function () {
        charts.forEach(function (chart) { chart.resize(); });
        data.maps.forEach(function (map) {
            var element = document.getElementById(map.element);
            var chart = element && echarts.getInstanceByDom(element);
            if (chart) {
                chart.setOption({geo: fit(element, map)});
            }
        });
    });
    document.querySelectorAll('[data-reset-map]').forEach(function (button) {
        button.addEventListener('click', function () {
            var id = button.getAttribute('data-reset-map');
            var chart = echarts.getInstanceByDom(document.getElementById(id));
            if (chart && originals[id]) {
                chart.setOption(originals[id], {notMerge: true});
            }
        });
    });
})();
