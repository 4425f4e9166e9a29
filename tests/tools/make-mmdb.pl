#!/usr/bin/perl
# Build a small MMDB test database with Debian's libmaxmind-db-writer-perl.
#   make-mmdb.pl OUT.mmdb SCHEMA NETWORK=CC:ASN:ORG ...
# SCHEMA: "geoip2" (country.iso_code + autonomous_system_*), "flat"
# (ip-location-db style top-level country_code), "country" (country only),
# "asn" (ASN fields only).
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($out, $schema, @nets) = @ARGV;
die "usage: $0 OUT SCHEMA NET=CC:ASN:ORG...\n" unless $out && $schema;
my %types = (
    country => 'map', iso_code => 'utf8_string', country_code => 'utf8_string',
    autonomous_system_number => 'uint32',
    autonomous_system_organization => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version => 6, record_size => 24,
    database_type => $schema eq 'asn' ? 'ftpaudit-Test-ASN' : 'ftpaudit-Test',
    languages => ['en'], description => { en => 'ftpaudit test database' },
    map_key_type_callback => sub { $types{ $_[0] } },
    remove_reserved_networks => 0, alias_ipv6_to_ipv4 => 1,
);
for my $spec (@nets) {
    my ($net, $rest) = split /=/, $spec, 2;
    my ($cc, $asn, $org) = split /:/, $rest, 3;
    my %rec;
    if ($schema eq 'geoip2' || $schema eq 'country') {
        $rec{country} = { iso_code => $cc };
    }
    if ($schema eq 'flat') {
        $rec{country_code} = $cc;
    }
    if ($schema ne 'country' && $asn) {
        $rec{autonomous_system_number} = $asn + 0;
        $rec{autonomous_system_organization} = $org // '';
    }
    $tree->insert_network($net, \%rec);
}
open my $fh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($fh);
close $fh or die "$out: $!\n";
