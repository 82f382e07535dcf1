#!/usr/bin/perl
# Lint ISO 2709 MARC files with Debian's MARC::Lint (libmarc-lint-perl), independently of pymarc.
# Prints one line per warning as "<file> record <n>: <warning>" and exits 1 if there was any.
use strict;
use warnings;
use MARC::File::USMARC;
use MARC::Lint;

my $linter = MARC::Lint->new;
my $problems = 0;
for my $filename (@ARGV) {
    my $file = MARC::File::USMARC->in($filename) or die "$filename: $MARC::File::ERROR\n";
    my $n = 0;
    while (my $record = $file->next()) {
        $n++;
        $linter->check_record($record);
        for my $warning ($record->warnings(), $linter->warnings()) {
            print "$filename record $n: $warning\n";
            $problems++;
        }
    }
    $file->close();
    if ($n == 0) {
        print "$filename: no records\n";
        $problems++;
    }
}
exit($problems ? 1 : 0);
